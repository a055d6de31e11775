// Jest setupFile of integration tests: loads the settings that scripts/env-up.sh wrote.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '../../../.lakemirror/env');
if (!fs.existsSync(file)) {
  throw new Error(`integration tests need the local environment: run scripts/env-up.sh (missing ${file})`);
}
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
  if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
}
