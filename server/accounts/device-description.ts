import Bowser from 'bowser';

/**
 * "Firefox on Linux", "Safari on iPhone": enough for a member to recognise a session in /account,
 * from the User-Agent sent at sign-in (which the browser chooses, so it is shown, never trusted).
 */
export function describeDevice(userAgent: string | undefined): string {
  // Bowser refuses an empty User-Agent; a long one is cut, it only has to name the browser.
  if (!userAgent?.trim()) return 'Unknown browser';
  const parser = Bowser.getParser(userAgent.slice(0, 512));
  const browser = parser.getBrowserName();
  const system = parser.getPlatform().model ?? parser.getOSName();
  if (browser && system) return `${browser} on ${system}`;
  return browser || system || 'Unknown browser';
}
