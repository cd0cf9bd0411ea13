// The reader's language: the one they picked (remembered in localStorage), else the first of
// the browser's languages we have (`navigator.languages`), else English. Components re-render
// on a change through LocaleController.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type Messages } from './en.ts';
import { da } from './da.ts';

export const LANGS = {
  da: { name: 'Dansk', tag: 'da-DK', messages: da },
  en: { name: 'English', tag: 'en-GB', messages: en },
} as const satisfies Record<string, { name: string; tag: string; messages: Messages }>;

export type Lang = keyof typeof LANGS;

export const STORAGE_KEY = 'smartspace.lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && Object.hasOwn(LANGS, value);
}

/** The remembered choice if any, else the first browser language we speak ("da-DK" → da). */
export function pickLang(stored: string | null, preferred: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (privacy settings): the choice lasts for this page only
  }
}

type Listener = (lang: Lang) => void;

class Locale {
  #lang: Lang;
  readonly #listeners = new Set<Listener>();

  constructor() {
    this.#lang = pickLang(storage()?.getItem(STORAGE_KEY) ?? null, globalThis.navigator?.languages ?? []);
    this.#applyToDocument();
  }

  get lang(): Lang {
    return this.#lang;
  }

  /** BCP 47 tag for Intl, e.g. "da-DK". */
  get tag(): string {
    return LANGS[this.#lang].tag;
  }

  get messages(): Messages {
    return LANGS[this.#lang].messages;
  }

  /** Switches language; `remember` (the picker) keeps it for the next visit. */
  set(lang: Lang, remember = true): void {
    if (remember) {
      try {
        storage()?.setItem(STORAGE_KEY, lang);
      } catch {
        // full or blocked: still switch for now
      }
    }
    if (lang === this.#lang) return;
    this.#lang = lang;
    this.#applyToDocument();
    for (const l of this.#listeners) l(lang);
  }

  /** Back to the browser's default (tests). */
  reset(): void {
    storage()?.removeItem(STORAGE_KEY);
    this.set(pickLang(null, globalThis.navigator?.languages ?? []), false);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #applyToDocument(): void {
    if (globalThis.document?.documentElement) document.documentElement.lang = this.#lang;
  }
}

export const locale = new Locale();

/** The current catalogue. Call it in render(), not once at module load. */
export const t = (): Messages => locale.messages;

/** Re-renders its host when the language changes. */
export class LocaleController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#unsubscribe = locale.subscribe(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}
