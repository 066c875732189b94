/** A moment as a wall clock in one time zone shows it. */
export type LocalTime = {
  /** Calendar day, `YYYY-MM-DD`. */
  day: string;
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  isoWeekday: number;
  /** Minutes since local midnight. */
  minutes: number;
};

const isoWeekdays: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Reads `now` on the clocks of `timeZone` (an IANA name), daylight saving included. */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(now)) parts[part.type] = part.value;
  const isoWeekday = isoWeekdays[parts.weekday ?? ''];
  if (isoWeekday === undefined) throw new Error(`cannot read the weekday in ${timeZone}`);
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    isoWeekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Minutes since midnight of an `HH:MM` clock time. */
export function clockMinutes(clock: string): number {
  const [hours = '0', minutes = '0'] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}
