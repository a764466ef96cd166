/**
 * Which folder may import which (README "Layout"); `npm run lint:deps` checks it.
 * Dependencies point one way: common <- config <- workers <- server; web and sim stand apart;
 * protocol/ (RTSP framing, Digest) is reusable code that imports nothing of the app.
 */
const OURS = '^(common|protocol|config|server|workers|web|sim|test|bench)/';

module.exports = {
  forbidden: [
    { name: 'common-imports-nothing', comment: 'common/ is shared by every part and imports nothing of ours but itself.', severity: 'error', from: { path: '^common/' }, to: { path: OURS, pathNot: '^common/' } },
    { name: 'protocol-imports-nothing', comment: 'protocol/ (RTSP framing, Digest) is reusable by the simulator, the auth proxy and enrollment; it imports nothing of ours.', severity: 'error', from: { path: '^protocol/' }, to: { path: OURS, pathNot: '^protocol/' } },
    { name: 'config-only-common', comment: 'config/ imports only common/.', severity: 'error', from: { path: '^config/' }, to: { path: OURS, pathNot: '^(config|common)/' } },
    { name: 'workers-not-app', comment: 'The ingest core (workers/) never imports the app (server/), the console or the simulator; the app implements its ports.', severity: 'error', from: { path: '^workers/' }, to: { path: '^(server|web|sim|test|bench)/' } },
    { name: 'server-not-web-sim', comment: 'server/ never imports the console or the simulator (only server/demo starts the simulator).', severity: 'error', from: { path: '^server/', pathNot: '^server/demo/' }, to: { path: '^(web|sim|test|bench)/' } },
    { name: 'demo-not-web', comment: 'server/demo may import sim/, nothing else outside server/.', severity: 'error', from: { path: '^server/demo/' }, to: { path: '^(web|test|bench)/' } },
    { name: 'web-only-web-common', comment: 'The console imports only web/ and common/.', severity: 'error', from: { path: '^web/' }, to: { path: OURS, pathNot: '^(web|common)/' } },
    { name: 'sim-stands-alone', comment: 'The simulator imports only sim/, common/, protocol/ and the one process wrapper (workers/ffmpeg/process: process groups, parent-death signal), so it runs without Sky Eye.', severity: 'error', from: { path: '^sim/' }, to: { path: OURS, pathNot: '^(sim|common|protocol)/|^workers/ffmpeg/process\\.ts$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|web/dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'] },
  },
};
