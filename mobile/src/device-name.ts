/**
 * The name the desktop lists this phone under, and other editors see: the platform, as well as the browser knows it.
 */
export function phoneName(userAgent: string): string {
  const platform = /iPhone/.test(userAgent)
    ? "iPhone"
    : /iPad/.test(userAgent)
      ? "iPad"
      : /Android/.test(userAgent)
        ? "Android phone"
        : "Phone";
  return `${platform} (Neural Link)`;
}
