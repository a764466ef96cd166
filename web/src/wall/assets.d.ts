/** Module declarations the wall needs (tsconfig does not load vite/client). */

/** Vite asset URL imports (`?url`): the emitted file's URL. */
declare module '*?url' {
  const url: string;
  export default url;
}

/** hls.js's light build (no subtitles/EME/alt audio) has the full build's API but ships no types. */
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
