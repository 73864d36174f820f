import type { Express } from 'express';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  match(path: string): boolean;
}

export interface RouteEntry {
  method: string;
  path: string;
}

function collect(stack: Layer[], prefix: string, into: RouteEntry[]): RouteEntry[] {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) into.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
    } else if (layer.handle.stack) {
      collect(layer.handle.stack, prefix, into);
    }
  }
  return into;
}

/** Every route mounted under /admin, read from the app's router so a new route cannot be forgotten. */
export function adminRoutesOf(app: Express): RouteEntry[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const mounts = stack.filter((layer) => !layer.route && layer.handle.stack && layer.match('/admin') && !layer.match('/'));
  return mounts.flatMap((mount) => collect(mount.handle.stack!, '/admin', []));
}
