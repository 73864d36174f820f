import type { Db } from '../db/database.ts';
import { findMembersLayer, findThesisBySlug } from './thesis.repo.ts';
import { membersLayerView, publicThesisView } from './thesis-view.ts';

type ThesisRecord = NonNullable<Awaited<ReturnType<typeof findThesisBySlug>>>;
export type CachedThesis = ThesisRecord & { view: ReturnType<typeof publicThesisView> };
export type MembersView = ReturnType<typeof membersLayerView>;

export interface ThesisCache {
  /** The published thesis with its rendered public view, or null (unknown or not yet published). */
  findPublished(slug: string, now: Date): Promise<CachedThesis | null>;
  /** The rendered members' layer: call only after the access decision said yes. */
  membersLayer(thesisId: string): Promise<MembersView>;
  /** Content changed: everything is read and rendered again on next use. */
  clear(): void;
}

/**
 * Thesis content read and rendered once per revision (Markdown → sanitised HTML is the costly part
 * of a page) instead of once per request. Promises are stored before the read starts, so a clear()
 * after a committed edit also drops a read that began before it. Unknown slugs are not stored.
 * Every change to a thesis, its sections or its signals must reach clear() through
 * AppCaches.contentChanged().
 */
export function createThesisCache(db: Db): ThesisCache {
  const bySlug = new Map<string, Promise<CachedThesis | null>>();
  const members = new Map<string, Promise<MembersView>>();

  function load<K, V>(map: Map<K, Promise<V>>, key: K, read: () => Promise<V>, keep: (value: V) => boolean): Promise<V> {
    const cached = map.get(key);
    if (cached) return cached;
    const pending = read();
    map.set(key, pending);
    pending.then(
      (value) => (keep(value) ? undefined : map.get(key) === pending && map.delete(key)),
      () => map.get(key) === pending && map.delete(key),
    );
    return pending;
  }

  return {
    async findPublished(slug, now) {
      const thesis = await load(
        bySlug,
        slug,
        async () => {
          const record = await findThesisBySlug(db, slug);
          return record && { ...record, view: publicThesisView(record) };
        },
        (value) => value !== null,
      );
      // The publication date is checked on every request, so a scheduled thesis appears on time.
      return thesis?.publishedAt && thesis.publishedAt <= now ? thesis : null;
    },
    membersLayer(thesisId) {
      return load(members, thesisId, async () => membersLayerView(await findMembersLayer(db, thesisId)), () => true);
    },
    clear() {
      bySlug.clear();
      members.clear();
    },
  };
}
