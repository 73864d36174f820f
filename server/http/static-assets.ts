import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { labelRoute } from './route-label.ts';

export interface StaticAssets {
  /** Serves /public/<name> (cached an hour) and /public/<name>.<hash>.<ext> (cached for good). */
  middleware: RequestHandler;
  /** The fingerprinted URL of a file in public/, for templates: changes whenever its bytes do. */
  url(name: string): string;
}

/**
 * Static files with fingerprinted names: pages link `styles.<hash>.css`, which may be cached a year
 * and marked immutable, because a new version gets a new name. Hashes are taken once at start-up.
 * The plain names keep working (for e-mails, old pages) with a short cache.
 */
export function createStaticAssets(dir: string): StaticAssets {
  const realNameOf = new Map<string, string>();
  const urlOf = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const hash = createHash('sha256').update(readFileSync(path.join(dir, entry.name))).digest('hex').slice(0, 12);
    const ext = path.extname(entry.name);
    const fingerprinted = `${entry.name.slice(0, entry.name.length - ext.length)}.${hash}${ext}`;
    realNameOf.set(fingerprinted, entry.name);
    urlOf.set(entry.name, `/public/${fingerprinted}`);
  }
  const forever = express.static(dir, { maxAge: '365d', immutable: true, index: false, redirect: false });
  const briefly = express.static(dir, { maxAge: '1h', index: false, redirect: false });
  const serve: RequestHandler = (req, res, next) => {
    const realName = realNameOf.get(req.path.slice(1));
    if (!realName) return briefly(req, res, next);
    req.url = `/${realName}`;
    forever(req, res, next);
  };
  const router = express.Router();
  router.use('/public', labelRoute('/public/*'), serve);
  return { middleware: router, url: (name) => urlOf.get(name) ?? `/public/${name}` };
}
