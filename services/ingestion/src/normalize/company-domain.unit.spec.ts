import { describe, expect, it } from 'vitest';
import { companyDomain, domainFromEmail, isFreeMailDomain, normalizeDomain } from './company-domain.ts';

describe('normalizeDomain', () => {
  describe('when the website names a domain', () => {
    it.each([
      { input: 'acme.com', expected: 'acme.com' },
      { input: 'https://www.Acme.com/', expected: 'acme.com' },
      { input: 'http://acme.com:8080/path/to?x=1#top', expected: 'acme.com' },
      { input: 'HTTPS://WWW.ACME.COM.', expected: 'acme.com' },
      { input: 'www.acme.com', expected: 'acme.com' },
      { input: 'acme.com/', expected: 'acme.com' },
      { input: 'acme.com.', expected: 'acme.com' },
      { input: '//acme.co.uk/about', expected: 'acme.co.uk' },
      { input: '  shop.acme.de  ', expected: 'shop.acme.de' },
      { input: 'https://user:secret@acme.io', expected: 'acme.io' },
      { input: 'www.acme.com/en/?utm_source=x', expected: 'acme.com' },
      { input: 'https://müller.de/', expected: 'xn--mller-kva.de' },
      { input: 'https://пример.рф', expected: 'xn--e1afmkfd.xn--p1ai' },
      { input: 'https://www.com', expected: 'www.com' },
    ])('$input → $expected', ({ input, expected }) => {
      expect(normalizeDomain(input)).toBe(expected);
    });
  });

  describe('when it does not', () => {
    it.each([
      { input: '' },
      { input: 'not a website' },
      { input: 'acme' },
      { input: 'http://localhost:3000/' },
      { input: 'http://192.168.0.1/' },
      { input: 'https://[::1]/' },
      { input: 'http://acme_co.com/' },
      { input: 'http://' },
    ])('$input → undefined', ({ input }) => {
      expect(normalizeDomain(input)).toBeUndefined();
    });
  });
});

describe('isFreeMailDomain', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'yahoo.com',
    'yahoo.de',
    'yahoo.co.uk',
    'yahoo.fr',
    'proton.me',
    'protonmail.com',
    'gmx.de',
    'gmx.net',
    'web.de',
    'icloud.com',
    'aol.com',
    'rediffmail.com',
  ])('%s is free mail', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it.each(['acme.com', 'example.co.uk', 'google.com', 'microsoft.com'])('%s is a company', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(false);
  });
});

describe('domainFromEmail', () => {
  it.each([
    { email: 'ada@acme.com', expected: 'acme.com' },
    { email: 'ada@mail.acme.co.uk', expected: 'mail.acme.co.uk' },
    { email: 'ada@gmail.com', expected: undefined },
    { email: 'ada@yahoo.co.uk', expected: undefined },
    { email: 'ada@proton.me', expected: undefined },
    { email: 'not-an-email', expected: undefined },
  ])('$email → $expected', ({ email, expected }) => {
    expect(domainFromEmail(email)).toBe(expected);
  });
});

describe('companyDomain', () => {
  it.each([
    {
      name: 'the website over the email',
      from: { website: 'https://www.acme.com/', email: 'ada@other.com' },
      expected: 'acme.com',
    },
    { name: 'the email without a website', from: { email: 'ada@acme.com' }, expected: 'acme.com' },
    {
      name: 'the email when the website names no domain',
      from: { website: 'n/a', email: 'ada@acme.com' },
      expected: 'acme.com',
    },
    { name: 'nothing from a free-mail email', from: { email: 'ada@gmail.com' }, expected: undefined },
    { name: 'nothing from nothing', from: {}, expected: undefined },
  ])('takes $name', ({ from, expected }) => {
    expect(companyDomain(from)).toBe(expected);
  });
});
