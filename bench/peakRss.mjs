// Preloaded into a measured process (`node --import ./bench/peakRss.mjs …`): when it exits, however it exits, its
// own peak RSS (VmHWM: this process image's, not the parent's carried across fork+exec) and CPU seconds go as JSON
// to the file named by BENCH_PEAK_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env['BENCH_PEAK_FILE'];
if (file) {
  process.on('exit', () => {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ maxRssBytes: hwm ? Number(hwm[1]) * 1024 : 0, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  });
}
