export type DeviceClass = 'mobile' | 'tablet' | 'desktop' | 'bot';

const BOT = /bot|crawl|spider|slurp|headless|curl|wget|python-requests|httpclient|monitor/i;
const TABLET = /ipad|tablet|playbook|silk|kindle|(android(?!.*mobile))/i;
const MOBILE = /mobi|iphone|ipod|android|windows phone|opera mini|blackberry/i;

/**
 * The device class of a message: Segment's `context.device.type` when a mobile library set it, else a coarse
 * reading of the user agent. Only the class is kept, never the user agent's details, for the profile.
 */
export function deviceClassOf(deviceType: unknown, userAgent: unknown): DeviceClass | null {
  if (typeof deviceType === 'string') {
    const type = deviceType.toLowerCase();
    if (type === 'ios' || type === 'android' || type === 'mobile' || type === 'phone') return 'mobile';
    if (type === 'tablet' || type === 'ipados') return 'tablet';
    if (type === 'desktop' || type === 'macos' || type === 'windows' || type === 'linux') return 'desktop';
  }
  if (typeof userAgent !== 'string' || userAgent.length === 0) return null;
  if (BOT.test(userAgent)) return 'bot';
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  return 'desktop';
}
