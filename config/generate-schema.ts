// Writes config/schema.json from the TypeBox schema, for editors (yaml-language-server).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SiteConfig } from './schema.ts';

const out = fileURLToPath(new URL('./schema.json', import.meta.url));
const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'smartspace site config', ...SiteConfig };
writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
console.log(`wrote ${out}`);
