import freeEmailDomains from 'free-email-domains';

// HubSpot's free-mail list plus two disposable-domain lists (~14,000): an address there says nothing
// about the company. pnpm does not run the package's postinstall refresh, so the locked version's list is used.
const freeMailDomains: ReadonlySet<string> = new Set(freeEmailDomains);

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i;
// What the contract's company.domain accepts, less IP addresses; a punycode top-level domain included.
const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A free-mail or disposable email domain (gmail.com, yahoo.de, proton.me, …), which is no company's. */
export function isFreeMailDomain(domain: string): boolean {
  return freeMailDomains.has(domain);
}

/**
 * The bare, lower-case host of a website or domain as typed: no scheme, `www.`, port, path, query
 * or trailing dot; an internationalized name in punycode. Undefined when it names no domain.
 */
export function normalizeDomain(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const url = URL.parse(hasScheme.test(text) ? text : text.startsWith('//') ? `http:${text}` : `http://${text}`);
  if (url === null) return undefined;
  let host = url.hostname;
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('www.') && host.indexOf('.', 4) !== -1) host = host.slice(4);
  return domainPattern.test(host) ? host : undefined;
}

/** The domain of a normalized email address, unless it is a free-mail one. */
export function domainFromEmail(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at === -1) return undefined;
  const domain = email.slice(at + 1);
  return domain === '' || isFreeMailDomain(domain) ? undefined : domain;
}

/** The company's domain from its website or, failing that, from a normalized email address. */
export function companyDomain(from: { website?: string | undefined; email?: string | undefined }): string | undefined {
  const fromWebsite = from.website === undefined ? undefined : normalizeDomain(from.website);
  if (fromWebsite !== undefined) return fromWebsite;
  return from.email === undefined ? undefined : domainFromEmail(from.email);
}
