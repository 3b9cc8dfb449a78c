// `node -r ./scripts/register-ts.cjs file.ts`: runs TypeScript sources directly, transpiled by swc as jest does
// (jest.config.js), without type-checking, so a script does not wait for (or depend on) a full `tsc` build.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
