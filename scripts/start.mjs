// `npm start`: the first look at ioctl-lens on its bundled samples. Prints
// the layouts of the sample driver's interface header, then runs the WOW64
// rules over the sample driver (whose findings are planted on purpose) and
// the clean sample (which has none), saying so before and after, since a
// first-time reader otherwise takes the errors for a broken install.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'ioctl-lens.js');

function run(args) {
  console.log(`\n$ ioctl-lens ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

const layout = run(['layout', 'samples/driver/ioctl_interface.h']);
console.log(
  '\nNext: the WOW64 rules over two samples. samples/driver is wrong on purpose: every error and\n' +
    'warning below is a mistake planted there to show a rule. samples/clean is done right and has none.',
);
const check = run(['check', '--fail-on', 'never', 'samples/driver', 'samples/clean']);
console.log(
  '\nThe findings above are expected (samples/driver is wrong on purpose); samples/clean has none.\n' +
    'Try it on your own headers: npx ioctl-lens layout FILE.h, npx ioctl-lens check FOLDER (ioctl-lens --help).',
);
process.exit(layout || check);
