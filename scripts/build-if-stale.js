#!/usr/bin/env node
// `npm start`, `npm test` and `npm run bench` build first when the build is missing or older than any source.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['apps', 'libs', 'bench', 'tsconfig.json', 'nest-cli.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // libs/*/dist are the npm packages' own builds (npm pack), outputs rather than sources.
  return readdirSync(path).reduce((m, name) => (['node_modules', 'results', 'dist'].includes(name) ? m : Math.max(m, newest(join(path, name)))), 0);
}

if (process.argv.includes('--stamp')) {
  writeFileSync(stamp, new Date().toISOString());
  process.exit(0);
}
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built < Math.max(...sources.map((s) => newest(join(root, s))))) {
  console.log('ioa: building (sources changed since the last build)');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
