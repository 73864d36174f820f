/**
 * Which alerts a member wants about one thesis. `User.emailAlerts` is the master switch above it:
 * off, nothing is sent whatever the level says. A thesis without a stored level gets every alert.
 */
export const ALERT_LEVELS = ['all', 'status', 'none'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export const DEFAULT_ALERT_LEVEL: AlertLevel = 'all';

export const ALERT_LEVEL_LABELS: Readonly<Record<AlertLevel, string>> = {
  all: 'All updates',
  status: "Only status changes and changes to the members' sections or the position",
  none: 'None',
};

/**
 * What changed, as an alert tells it: a signal's status, a members' section (entry levels, sizing:
 * what the member holds), the thesis's position (entered or exited), or only a signal's note
 * (evidence added, status unchanged).
 */
export type AlertChange = 'status' | 'section' | 'position' | 'note';

/** The thesis an alert is about and what changed, carried in its outbox row and checked at delivery. */
export interface AlertSubject {
  thesisId: string;
  change: AlertChange;
}

export function isAlertLevel(value: unknown): value is AlertLevel {
  return typeof value === 'string' && (ALERT_LEVELS as readonly string[]).includes(value);
}

/** Whether a member at `level` for a thesis gets an alert telling `change` about it. */
export function levelAccepts(level: AlertLevel, change: AlertChange): boolean {
  return level === 'all' || (level === 'status' && change !== 'note');
}
