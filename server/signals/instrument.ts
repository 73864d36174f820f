/**
 * What an instrument may be called on the record: a ticker as exchanges write one (CBRS, BRK.B,
 * LSE:VOD, BTC/USD), letters and digits with . : / - or a space between them.
 */
const TICKER = /^[A-Z0-9][A-Z0-9.:/ -]{0,39}$/;
const TICKER_CHARACTER = /[A-Z0-9.:/ -]/;
const ALLOWED = 'use capital letters A–Z, digits, spaces and . : / - (e.g. CBRS, BRK.B)';

/**
 * The form an instrument is stored and compared in. NFKC folds characters that have a plain form
 * (full-width letters, a no-break space); a run of spaces becomes one, as HTML shows it anyway.
 */
export function normaliseInstrument(typed: string): string {
  return typed.normalize('NFKC').trim().replace(/ {2,}/g, ' ').toUpperCase();
}

/**
 * Why a normalised instrument cannot go on the record, or null. Guards against a look-alike name
 * (a zero-width space, a Cyrillic С) that would keep an exit from closing its entry, so a loss
 * would never be computed.
 */
export function instrumentProblem(instrument: string): string | null {
  if (instrument === '') return 'instrument: give the instrument (e.g. its ticker).';
  if (instrument.length > 40) return 'instrument: at most 40 characters.';
  const odd = [...instrument].find((character) => !TICKER_CHARACTER.test(character));
  if (odd !== undefined) {
    const code = `U+${odd.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const what = /[\p{C}\p{Z}]/u.test(odd) ? `${code}, an invisible or control character` : `"${odd}" (${code})`;
    return `instrument: contains ${what}; ${ALLOWED}.`;
  }
  return TICKER.test(instrument) ? null : `instrument: must start with a letter or a digit; ${ALLOWED}.`;
}

/**
 * The key that pairs stored entries and exits. Rows recorded before instruments were checked may
 * hold invisible characters: they are dropped here, so such an exit still closes its entry.
 */
export function instrumentKey(stored: string): string {
  return normaliseInstrument(stored.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ''));
}
