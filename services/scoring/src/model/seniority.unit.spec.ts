import { describe, expect, it } from 'vitest';
import { seniorityOf } from './seniority.ts';

describe('seniorityOf', () => {
  it.each([
    ['Chief Revenue Officer', 'c_level'],
    ['CTO', 'c_level'],
    ['Co-Founder & CEO', 'c_level'],
    ['Founder', 'c_level'],
    ['President', 'c_level'],
    ['Managing Director', 'c_level'],
    ['Owner', 'c_level'],
    ['VP Sales', 'vp'],
    ['Vice President', 'vp'],
    ['Vice-President, Marketing', 'vp'],
    ['SVP Engineering', 'vp'],
    ['V.P. Operations', 'vp'],
    ['Head of Analytics', 'director'],
    ['Director', 'director'],
    ['Sales Director EMEA', 'director'],
    ['Chief of Staff', 'director'],
    ['Marketing Manager', 'manager'],
    ['Team Lead, Support', 'manager'],
    ['Software Engineer', 'individual'],
    ['Product Owner', 'individual'],
    ['Account Executive', 'individual'],
    ['Executive Assistant to the CEO', 'individual'],
  ] as const)('reads %j as %s', (title, seniority) => {
    expect(seniorityOf(title)).toBe(seniority);
  });

  it('takes the highest seniority a title names', () => {
    expect(seniorityOf('VP and Director of Sales')).toBe('vp');
  });

  it('does not read an acronym inside a word', () => {
    expect(seniorityOf('Doctoral Researcher')).toBe('individual');
  });

  it('has no seniority without a title', () => {
    expect(seniorityOf(undefined)).toBeUndefined();
    expect(seniorityOf('  ')).toBeUndefined();
  });
});
