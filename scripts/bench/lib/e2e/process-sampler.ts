// Peak resident memory and CPU time of the platform's processes, read from /proc every interval.
// VmHWM is the kernel's own high-water mark, so a peak between two samples is not missed; a process
// restarted under the same name starts a new mark, and the highest of its lives is kept.
import { readFile } from 'node:fs/promises';

export type ProcessFigures = {
  name: string;
  /** Highest VmHWM seen, MiB; undefined when the process could never be read. */
  peakRssMiB?: number;
  /** User + system CPU seconds over every life of the process seen so far. */
  cpuSeconds: number;
};

export type ProcessSampler = {
  /** Current figures, e.g. to take the CPU used between two moments. */
  snapshot: () => ProcessFigures[];
  stop: () => Promise<ProcessFigures[]>;
};

// Linux reports CPU times in clock ticks of 1/100 s on every architecture Node supports.
const ticksPerSecond = 100;

async function readProcess(pid: number): Promise<{ hwmKiB: number; cpuTicks: number } | undefined> {
  try {
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status) ?? /^VmRSS:\s+(\d+) kB/m.exec(status);
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { hwmKiB: Number(hwm?.[1] ?? 0), cpuTicks };
  } catch {
    // The process exited between listing and reading.
    return undefined;
  }
}

/** Samples each named process (its pid may change or be missing for a while) every `intervalMs`. */
export function sampleProcesses(options: {
  processes: ReadonlyArray<{ name: string; pid: () => number | undefined | Promise<number | undefined> }>;
  intervalMs: number;
}): ProcessSampler {
  const peaks = new Map<string, number>();
  // CPU ticks per name and pid: a restarted process adds a pid, its earlier lives keep their last reading.
  const cpu = new Map<string, Map<number, number>>();
  let stopped = false;

  const sampleOnce = async () => {
    await Promise.all(
      options.processes.map(async ({ name, pid: pidOf }) => {
        const pid = await pidOf();
        if (pid === undefined) return;
        const figures = await readProcess(pid);
        if (figures === undefined) return;
        peaks.set(name, Math.max(peaks.get(name) ?? 0, figures.hwmKiB));
        const lives = cpu.get(name) ?? new Map<number, number>();
        lives.set(pid, figures.cpuTicks);
        cpu.set(name, lives);
      }),
    );
  };
  const loop = (async () => {
    while (!stopped) {
      await sampleOnce();
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
    await sampleOnce();
  })();

  const snapshot = (): ProcessFigures[] =>
    options.processes.map(({ name }) => {
      const peak = peaks.get(name);
      const ticks = [...(cpu.get(name)?.values() ?? [])].reduce((sum, value) => sum + value, 0);
      return {
        name,
        ...(peak === undefined ? {} : { peakRssMiB: Math.round((peak / 1024) * 10) / 10 }),
        cpuSeconds: Math.round((ticks / ticksPerSecond) * 10) / 10,
      };
    });

  return {
    snapshot,
    stop: async () => {
      stopped = true;
      await loop;
      return snapshot();
    },
  };
}
