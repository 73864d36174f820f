// `npm run verify-log -- file.json [--witness COUNT:HASH]...`
// Checks a signal record downloaded from /theses/<slug>/signals/log.json with the very function the
// server chains updates with (server/signals/hash-chain.ts). Exit 0: the chain holds. Exit 1: a link
// is broken (the first one is reported) or a witnessed head does not match. Exit 2: unusable input.
// Exit 3: the chain holds but a witness names an entry still under embargo, which proves nothing yet.
// The record holds signal updates, members' section changes (kind "section") and position entries
// (kind "position"); all are checked, and a section change's texts must match the digests its hash covers.
// It also checks the public export of /record/<slug>.json ("format": "warren-public-record/1", or /2 when
// it holds revealed position entries): there,
// entries still under embargo carry only their sequence, time, prevHash and hash, so only their links
// are checked; every revealed entry's hash is recomputed. A members' log.json may hold no such entry.
// An entry still marked embargoed more than a few minutes after its reveal time (revealsAt, or recordedAt plus
// the export's embargoDays) is a revealed entry withheld: refused. `--now` checks as of another time.
// Every entry's recordedAt must be an ISO 8601 UTC time, not earlier than the entry before it (5 minutes'
// tolerance), and a position's trade date must not be after its recording nor more than 4 days before it.
// A witness is a chain head from an alert e-mail ("update #COUNT, chain head HASH"): a record
// rewritten after that e-mail was sent cannot match it, even if its own hashes were recomputed.
import { readFileSync } from 'node:fs';
import { systemClock } from '../server/clock.ts';
import { PUBLIC_RECORD_FORMATS, isEmbargoedEntry, verifyChain, type ChainEntry, type EmbargoedEntry } from '../server/signals/hash-chain.ts';

interface Witness {
  count: number;
  hash: string;
}

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run verify-log -- <log.json> [--witness COUNT:HASH]... [--now ISO-TIME]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; witnesses: Witness[]; now: Date } {
  const witnesses: Witness[] = [];
  let file: string | undefined;
  let now = systemClock.now();
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--now') {
      const given = new Date(argv[++i] ?? '');
      if (Number.isNaN(given.getTime())) usage('--now needs an ISO 8601 time, e.g. 2026-12-01T12:00:00Z');
      now = given;
    } else if (argv[i] === '--witness') {
      const match = /^(\d+):([0-9a-f]{64})$/i.exec(argv[++i] ?? '');
      if (!match) usage('--witness needs COUNT:HASH, e.g. 12:3f9a… (64 hex digits)');
      witnesses.push({ count: Number(match[1]), hash: match[2].toLowerCase() });
    } else if (!file) {
      file = argv[i];
    } else {
      usage(`unexpected argument ${argv[i]}`);
    }
  }
  if (!file) usage('no file given');
  return { file, witnesses, now };
}

interface RecordFile {
  updates: (ChainEntry | EmbargoedEntry)[];
  claimedHead?: { count: number; hash: string };
  isPublicExport: boolean;
  /** The export's embargo, for entries that do not state their reveal time. */
  embargoDays?: number;
}

function readUpdates(file: string): RecordFile {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    usage(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The downloaded document, or a bare array of updates.
  const body = document as { format?: unknown; updates?: unknown; head?: { count: number; hash: string }; thesis?: { embargoDays?: unknown } };
  const updates = Array.isArray(document) ? document : body?.updates;
  if (!Array.isArray(updates)) usage(`${file} holds no "updates" array`);
  return {
    updates: updates as RecordFile['updates'],
    claimedHead: Array.isArray(document) ? undefined : body.head,
    isPublicExport: !Array.isArray(document) && typeof body.format === 'string' && PUBLIC_RECORD_FORMATS.includes(body.format),
    embargoDays: Array.isArray(document) || typeof body.thesis?.embargoDays !== 'number' ? undefined : body.thesis.embargoDays,
  };
}

const { file, witnesses, now } = parseArgs(process.argv.slice(2));
const { updates, claimedHead, isPublicExport, embargoDays } = readUpdates(file);
const verdict = verifyChain(updates, { allowEmbargoed: isPublicExport, now, embargoDays });
if (!verdict.ok) {
  const update = updates[verdict.index] as Partial<ChainEntry> | null;
  console.error(`BROKEN at update #${verdict.brokenAt} of ${verdict.count} (id ${String(update?.id)}): ${verdict.reason}`);
  console.error(`Updates #1 to #${verdict.brokenAt - 1} verify; nothing from #${verdict.brokenAt} on can be trusted.`);
  process.exit(1);
}
if (claimedHead && (claimedHead.count !== verdict.count || (verdict.count > 0 && claimedHead.hash !== verdict.head))) {
  console.error(`BROKEN: the file's "head" (${claimedHead.count}, ${claimedHead.hash}) is not the end of its chain (${verdict.count}, ${verdict.head}).`);
  process.exit(1);
}
for (const witness of witnesses) {
  const linked = updates[witness.count - 1];
  if (!linked || linked.hash !== witness.hash) {
    console.error(`BROKEN: witness #${witness.count} ${witness.hash} is not in this record (found ${linked ? linked.hash : 'no such update'}).`);
    process.exit(1);
  }
}
// An embargoed entry's hash is taken as given, and nothing binds it to its prevHash: a head witnessed
// there would match a record whose revealed entries were rewritten and re-linked. Not a proof yet.
const unchecked = witnesses.filter((witness) => isEmbargoedEntry(updates[witness.count - 1]));
if (unchecked.length > 0) {
  for (const witness of unchecked) {
    console.error(
      `NOT CHECKED: witness #${witness.count} is under embargo in this record: its hash is given, not recomputed, so it does not ` +
        `vouch for the entries before it. Check it again once #${witness.count} is revealed.`,
    );
  }
  process.exit(3);
}
const embargoed = updates.filter(isEmbargoedEntry).length;
const embargoNote = isPublicExport ? ` (${verdict.count - embargoed} revealed and recomputed, ${embargoed} under embargo: links only)` : '';
console.log(`OK: ${verdict.count} updates${embargoNote}, chain head ${verdict.head}${witnesses.length ? `, ${witnesses.length} witness(es) match` : ''}.`);
