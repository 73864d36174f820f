import type { Db } from '../../server/db/database.ts';

/** An `io` for a command run in a test, and what the command said through it. */
export function captured() {
  const said = { out: '', err: '' };
  return {
    said,
    io: {
      out: (text: string) => void (said.out += text),
      err: (text: string) => void (said.err += text),
    },
  };
}

/** How many content changes have been announced to running instances (the change bus's counter). */
export async function contentAnnouncements(db: Db): Promise<number> {
  return (await db.changeCounter.findUnique({ where: { topic: 'content' } }))?.version ?? 0;
}
