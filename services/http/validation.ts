// How the API checks what a request carries. A JSON body arrives typed, so it is checked as it is:
// no type coercion (`{"email":["x@y"]}` is a 400, never the string "x@y"), and a property the
// schema does not list is refused, never silently dropped. A query string and path params arrive
// as text, so there a string still becomes the number or boolean the schema asks for, but never
// an array. Every route of the catalogue gets this through route.ts, whatever Fastify instance it
// is registered on.
import { Ajv, type Options, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { NORMALISE, NORMALISERS, type NormaliserName } from '../../contracts/patterns.ts';

/** What Fastify's own compiler does otherwise; allErrors stays off (all errors of a huge body cost time). */
const COMMON: Options = { useDefaults: true, allErrors: false, addUsedSchema: false };

/**
 * The keyword `x-normalise` (contracts/patterns.ts NORMALISE): a string field is replaced by its
 * normal form (a name NFC, trimmed, spaces collapsed; an e-mail trimmed, lower-cased) before its
 * length and pattern are checked, so what is checked is what is stored.
 */
function addNormalise(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: NORMALISE,
    type: 'string',
    schemaType: 'string',
    modifying: true,
    // Before the string keywords (maxLength, minLength, pattern, format) look at the value.
    before: 'maxLength',
    metaSchema: { enum: Object.keys(NORMALISERS) },
    validate: (
      how: NormaliserName,
      data: string,
      _parent?: unknown,
      cxt?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number },
    ) => {
      // A top-level string (no parent) cannot be replaced; no route's body is one.
      if (cxt) cxt.parentData[cxt.parentDataProperty] = NORMALISERS[how](data);
      return true;
    },
  });
  return ajv;
}

function ajv(options: Options): Ajv {
  const a = new Ajv({ ...COMMON, ...options });
  ajvFormats.default(a);
  return addNormalise(a);
}

/** Bodies: checked as sent. */
const bodies = ajv({ coerceTypes: false, removeAdditional: false });
/**
 * Query strings, path params, headers: text, coerced to the scalar type the schema asks for. An
 * unknown query key is still dropped (a cache-buster or a proxy's tag changes nothing we read).
 */
const text = ajv({ coerceTypes: true, removeAdditional: true });

/** Ajv says "must NOT have additional properties"; the client needs to know which one. */
function nameTheProperty(errors: ErrorObject[]): ErrorObject[] {
  return errors.map((e) =>
    e.keyword === 'additionalProperties'
      ? { ...e, message: `must NOT have the property ${JSON.stringify(String((e.params as { additionalProperty: string }).additionalProperty).slice(0, 64))}` }
      : e,
  );
}

const wrapped = new WeakMap<ValidateFunction, ValidateFunction>();

/** The validator of one part of a request (Fastify's route option `validatorCompiler`). */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return text.compile(schema);
  const check = bodies.compile(schema);
  // Ajv caches the compiled function per schema object: so is the wrapper.
  let v = wrapped.get(check);
  if (!v) {
    const f = ((data: unknown) => {
      const ok = check(data);
      f.errors = ok || !check.errors ? null : nameTheProperty(check.errors);
      return ok;
    }) as ValidateFunction;
    wrapped.set(check, (v = f));
  }
  return v;
};
