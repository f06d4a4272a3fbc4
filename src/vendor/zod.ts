/**
 * zod, re-exported from one module so that `npm run build` can bundle it into this one file (scripts/build/vendor.mjs):
 * its 95 modules took about 45 ms of every command's start-up, the bundle about 23 ms. Every value import of zod in
 * src/ goes through here (a second copy would make schemas of two zods); types may come from 'zod' itself.
 */
export { z } from 'zod';
