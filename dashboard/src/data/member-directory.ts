// The members list as the members screen has it: the filters as typed, the page at an offset,
// or why it failed. Outlives the list element (opening a member and coming back keeps the
// filters and the page); elements that show it subscribe. Answers to an older request are dropped.
import type { MemberPage, MemberView, PlanView } from '../../../contracts/api/index.ts';
import { manageApi } from '../manage-api.ts';
import { MEMBERS_PAGE, NO_FILTERS, type MemberFilters } from './members.ts';

export class MemberDirectory {
  /** As typed; the selects apply at once, the search on submit. */
  filters: MemberFilters = NO_FILTERS;
  offset = 0;
  /** null while loading. */
  page: MemberPage | null = null;
  error: unknown = null;
  /** By name; empty until loaded (names fall back to ids). */
  plans: PlanView[] = [];
  #request = 0;
  readonly #listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }

  /** The page at `offset` for the current filters. */
  async load(offset = this.offset): Promise<void> {
    const id = ++this.#request;
    this.offset = offset;
    this.page = null;
    this.error = null;
    this.#changed();
    const f = this.filters;
    try {
      const page = await manageApi.members({
        q: f.q.trim() || undefined,
        status: f.status || undefined,
        role: f.role || undefined,
        plan: f.plan || undefined,
        limit: MEMBERS_PAGE,
        offset,
      });
      if (id === this.#request) this.page = page;
    } catch (err) {
      if (id === this.#request) this.error = err;
    }
    this.#changed();
  }

  async loadPlans(): Promise<void> {
    try {
      this.plans = [...(await manageApi.plans())].sort((a, b) => a.name.localeCompare(b.name));
      this.#changed();
    } catch {
      // Plan names fall back to their ids; the plans screen says what failed.
    }
  }

  setFilter<K extends keyof MemberFilters>(key: K, value: MemberFilters[K], now: boolean): void {
    this.filters = { ...this.filters, [key]: value };
    if (now) void this.load(0);
    else this.#changed();
  }

  /** The member as the services now have it, in the page on show. */
  replace(m: MemberView): void {
    if (!this.page) return;
    this.page = { ...this.page, items: this.page.items.map((x) => (x.id === m.id ? m : x)) };
    this.#changed();
  }

  planName(id: string | null, none: string): string {
    if (!id) return none;
    return this.plans.find((p) => p.id === id)?.name ?? id;
  }
}
