/** The logger the bus writes to: `(fields, message)` per level, so a pino logger fits as is. */
export type BusLogger = {
  debug: (obj: object, msg?: string) => void;
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
};

const ignore = (): void => undefined;

/** Discards everything; the default when no logger is given. */
export const silentLogger: BusLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
