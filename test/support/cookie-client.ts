import { csrfToken } from './harness.ts';

export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * A tiny browser for tests against real processes: keeps cookies (which, as in a browser, ignore the
 * port: two instances on 127.0.0.1 share them like replicas behind one host name) and never
 * follows redirects, so each hop can be asserted.
 */
export class CookieClient {
  private readonly jar = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.jar.size) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const [name, ...value] = pair.split('=');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value.join('=') === '';
      if (expired) this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value.join('='));
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** The Cookie header this client sends, for another client (an event stream) acting as the same browser. */
  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Opens the page holding a form (on one instance), then posts it with that page's CSRF token (maybe to another). */
  async submitForm(pageUrl: string, actionUrl: string, fields: Record<string, string> = {}): Promise<Page> {
    const page = await this.request(pageUrl);
    if (page.status !== 200) throw new Error(`GET ${pageUrl}: HTTP ${page.status}`);
    return this.request(actionUrl, { form: { ...hiddenFields(page.text), ...fields, _csrf: csrfToken(page.text) } });
  }
}

/** The hidden inputs of a page's forms (nonces and the like), which a browser would send back. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[name] ??= value;
  return fields;
}

/** Polls until `check` returns a value (for work done by background workers in other processes). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, attempts = 200): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
