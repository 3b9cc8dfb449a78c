// `vite build web`: the console into web/dist, served by express at / (src/http/app.ts).
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The loans module's validators are shared with the server (src/loans/identifiers.ts is dependency-free).
  server: { fs: { allow: ['..'] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd's core is one shared chunk of about 1 MB minified (≈ 300 KB gzipped); the pages are split with React.lazy.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd and react-router mark their modules "use client" for React Server Components; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+|dayjs)[\\/]/ },
          ],
        },
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
