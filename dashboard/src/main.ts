// Entry point: defining the app shell defines every component it uses.
import './components/app-shell.ts';
