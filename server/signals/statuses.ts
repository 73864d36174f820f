/** The states a signal can be in (product.md, "signal"), in the order the admin form lists them. */
export const SIGNAL_STATUSES = ['watching', 'strengthening', 'confirmed', 'weakening', 'failed'] as const;

export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** Which way a status points: the thesis-level summary counts signals and moves by it. */
export type Direction = 'confirming' | 'weakening' | 'neutral';

export function directionOf(status: string): Direction {
  if (status === 'strengthening' || status === 'confirmed') return 'confirming';
  if (status === 'weakening' || status === 'failed') return 'weakening';
  return 'neutral';
}

export function statusLabel(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
