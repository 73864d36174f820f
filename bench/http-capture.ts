// Fetches one response as raw bytes: status, headers in order and casing, body (no decoding).
import http from 'node:http';

export interface CapturedPage {
  status: number;
  headers: [string, string][];
  body: string; // base64
}

export function capture(url: string, headers: Record<string, string> = {}): Promise<CapturedPage & { text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({ status: res.statusCode ?? 0, headers: pairs, body: body.toString('base64'), text: body.toString('utf8') });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The cookies a response sets, as one Cookie header value. */
export function cookiesFrom(page: CapturedPage): string {
  return page.headers
    .filter(([name]) => name.toLowerCase() === 'set-cookie')
    .map(([, value]) => value.split(';')[0])
    .join('; ');
}
