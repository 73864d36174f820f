import type { Db } from '../db/database.ts';
import type { StoredPayload } from './outbox.ts';
import type { ClaimedMessage } from './outbox-claim.ts';
import { alertConsents } from './mail.repo.ts';
import { categoryOf, isTemplateName, type MailRenderer, type TemplateName } from './templates.ts';
import type { MailMessage } from './transport.ts';
import { unsubscribeUrl, type UnsubscribeTokens } from './unsubscribe-token.ts';

export interface MintedSignIn {
  token: string;
  /** Shown as "ABCD-EFGH". */
  code: string;
}

/**
 * What composing needs from accounts to sign a reader in. accounts sits above mail, so it provides
 * this (accounts/mail-sign-ins.ts) and whoever builds the delivery passes it in.
 */
export interface MailSignIns {
  /** Account ids by address, looked up now; an address without an account is missing from the map. */
  accountIds(emails: readonly string[], now: Date): Promise<Map<string, string>>;
  /** Single-use links with their codes, in one write, in the order asked. */
  mint(requests: readonly { userId: string; nextPath: string }[], now: Date): Promise<MintedSignIn[]>;
}

/**
 * Whether alerts' recipients may still read the thesis each is about, asked at delivery. access sits
 * above mail, so it provides this (access/alert-audience.ts) and whoever builds the delivery passes it in.
 */
export interface MailAlertAudience {
  stillEntitled(alerts: readonly { userId: string; thesisSlug: string }[]): Promise<boolean[]>;
}

export interface ComposeDeps {
  db: Db;
  signIns: MailSignIns;
  alertAudience: MailAlertAudience;
  renderer: MailRenderer;
  unsubscribeTokens: UnsubscribeTokens;
  mailFrom: string;
  appUrl: string;
}

/** The domain Message-IDs are made in: the sender's, so they are unique to this publisher. */
export function messageIdDomain(mailFrom: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'warren.invalid';
}

export interface Rendered {
  send: MailMessage;
  signInUrl?: string;
}

/**
 * What to do with one claimed row: render and send it, skip it (unsubscribed), or count a failed
 * attempt. Rendering waits for the send, so a batch's templates run between its sends rather than
 * all at once while the SMTP connections wait; it throws when the template cannot be rendered.
 */
export type Composed = { render: () => Rendered } | { skip: string } | { error: unknown };

interface Parsed {
  message: ClaimedMessage;
  template: TemplateName;
  payload: StoredPayload;
  /** The account a sign-in link is minted for, once known. */
  signInFor?: { userId: string; nextPath: string };
}

/**
 * The account behind each row that signs its reader in: given, or looked up by address now (one
 * lookup for the batch). Absent: no account has it.
 */
async function signInAccounts(deps: ComposeDeps, rows: readonly (Parsed & { index: number })[], now: Date) {
  const byAddress = rows.flatMap((one) => (one.payload.signInFor && 'email' in one.payload.signInFor ? [one.payload.signInFor.email] : []));
  const userIds = byAddress.length > 0 ? await deps.signIns.accountIds(byAddress, now) : new Map<string, string>();
  const accounts = new Map<number, { userId: string; nextPath: string }>();
  for (const one of rows) {
    const wanted = one.payload.signInFor;
    const userId = wanted && ('userId' in wanted ? wanted.userId : userIds.get(wanted.email));
    if (wanted && userId) accounts.set(one.index, { userId, nextPath: wanted.nextPath });
  }
  return accounts;
}

/**
 * Turns a claimed batch of outbox rows into the e-mails to send, at delivery time, with a few queries
 * for the whole batch rather than some per message: consent for alerts is checked now (an unsubscribe,
 * or a lower level for the alert's thesis, since queueing wins) in two reads, the batch's sign-in
 * links are minted now in one insert, and each Message-ID is its row's. The answer is in the order of `messages`; a row that cannot be composed
 * gets `{ error }` (or a render that throws) and fails on its own.
 */
export async function composeBatch(deps: ComposeDeps, messages: readonly ClaimedMessage[], now: Date): Promise<Composed[]> {
  const composed: Composed[] = new Array(messages.length);
  const parsed: (Parsed & { index: number })[] = [];
  messages.forEach((message, index) => {
    try {
      if (!isTemplateName(message.template)) throw new Error(`unknown e-mail template "${message.template}"`);
      parsed.push({ index, message, template: message.template, payload: JSON.parse(message.payload) as StoredPayload });
    } catch (error) {
      composed[index] = { error };
    }
  });

  const alerts = parsed.filter((one) => categoryOf(one.template) === 'alert');
  // The alert's recipient by row, when they still want it (master switch, then their level for its thesis).
  const consenting = new Map<number, string>();
  try {
    const consents = await alertConsents(deps.db, alerts.map(({ payload, message }) => ({ userId: payload.userId, recipient: message.recipient, alert: payload.alert })));
    alerts.forEach((one, n) => {
      const consent = consents[n];
      if ('refused' in consent) composed[one.index] = { skip: consent.refused };
      else consenting.set(one.index, consent.userId);
    });
  } catch (error) {
    for (const one of alerts) composed[one.index] = { error };
  }
  const entitled = await alertsStillEntitled(deps.alertAudience, alerts.filter((one) => consenting.has(one.index)), consenting);
  const toSend = parsed.filter((one) => {
    if (composed[one.index]) return false;
    if (entitled.get(one.index) instanceof Error) composed[one.index] = { error: entitled.get(one.index) };
    else if (entitled.get(one.index) === false) composed[one.index] = { skip: 'recipient no longer has access to this thesis' };
    return !composed[one.index];
  });

  let accounts = new Map<number, { userId: string; nextPath: string }>();
  try {
    accounts = await signInAccounts(deps, toSend, now);
  } catch (error) {
    for (const one of toSend) if (one.payload.signInFor) composed[one.index] = { error };
  }
  const deliverable = toSend.filter((one) => {
    if (composed[one.index]) return false;
    if (!one.payload.signInFor) return true;
    one.signInFor = accounts.get(one.index);
    // A sign-in request for an address no account has: nothing to send, and nothing told the asker so.
    if (!one.signInFor) composed[one.index] = { skip: 'no account has this address' };
    return Boolean(one.signInFor);
  });

  const links = await mintLinks(deps.signIns, deliverable, now);
  for (const one of deliverable) {
    const link = links.get(one.index);
    if (link instanceof Error) composed[one.index] = { error: link };
    else composed[one.index] = { render: () => render(deps, one, consenting.get(one.index) ?? null, link) };
  }
  return composed;
}

/** For each consenting alert, whether its recipient still holds the thesis it is about (or why that could not be asked). */
async function alertsStillEntitled(
  audience: MailAlertAudience,
  alerts: readonly (Parsed & { index: number })[],
  consenting: ReadonlyMap<number, string>,
): Promise<Map<number, boolean | Error>> {
  const asked = alerts.map((one) => ({ userId: consenting.get(one.index)!, thesisSlug: String((one.payload.data as { thesisSlug?: unknown }).thesisSlug ?? '') }));
  try {
    const answers = await audience.stillEntitled(asked);
    return new Map(alerts.map((one, n) => [one.index, answers[n]]));
  } catch (error) {
    return new Map(alerts.map((one) => [one.index, error instanceof Error ? error : new Error(String(error))]));
  }
}

/**
 * The sign-in links of the rows that sign their reader in, in one INSERT. Should that fail (a user
 * deleted since queueing breaks the foreign key), each is minted alone so only its own message fails.
 */
async function mintLinks(signIns: MailSignIns, rows: readonly (Parsed & { index: number })[], now: Date): Promise<Map<number, MintedSignIn | Error>> {
  const wanted = rows.filter((one) => one.signInFor);
  const minted = new Map<number, MintedSignIn | Error>();
  try {
    const links = await signIns.mint(wanted.map((one) => one.signInFor!), now);
    wanted.forEach((one, n) => minted.set(one.index, links[n]));
  } catch {
    for (const one of wanted) {
      const link = signIns.mint([one.signInFor!], now).then(([only]) => only);
      minted.set(one.index, await link.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    }
  }
  return minted;
}

function render(deps: ComposeDeps, { message, template, payload }: Parsed, alertUserId: string | null, link: MintedSignIn | undefined): Rendered {
  const headers: Record<string, string> = {};
  const unsubscribe = { all: null as string | null, thesis: null as string | null };
  if (alertUserId) {
    unsubscribe.all = unsubscribeUrl(deps.appUrl, deps.unsubscribeTokens.sign(alertUserId));
    if (payload.alert) unsubscribe.thesis = unsubscribeUrl(deps.appUrl, deps.unsubscribeTokens.sign(alertUserId, payload.alert.thesisId));
    // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here without a sign-in.
    // It stops what this mail is about (its thesis) rather than every alert; the footer offers both.
    headers['List-Unsubscribe'] = `<${unsubscribe.thesis ?? unsubscribe.all}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const signInUrl = link ? `${deps.appUrl}/login/verify?token=${link.token}` : undefined;
  const rendered = deps.renderer.render(template, payload.data, {
    signInUrl,
    signInCode: link?.code,
    unsubscribeUrl: unsubscribe.all,
    unsubscribeThesisUrl: unsubscribe.thesis,
  });
  return {
    signInUrl,
    send: {
      from: deps.mailFrom,
      to: message.recipient,
      ...rendered,
      messageId: `<${message.id}@${messageIdDomain(deps.mailFrom)}>`,
      headers,
    },
  };
}
