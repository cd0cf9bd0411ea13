// Entry point: defining the app shell defines every component it uses.
import './components/app-shell.ts';
import { registerServiceWorker } from './data/pwa.ts';

if (import.meta.env.PROD) registerServiceWorker();
