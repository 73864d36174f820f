/** The four states the admin sees, derived from two dates and the clock (see README.md). */
export type ThesisStatus = 'draft' | 'scheduled' | 'published' | 'archived';

export function statusOf(thesis: { publishedAt: Date | null; archivedAt: Date | null }, now: Date): ThesisStatus {
  if (thesis.archivedAt) return 'archived';
  if (!thesis.publishedAt) return 'draft';
  return thesis.publishedAt > now ? 'scheduled' : 'published';
}
