/** The page script's entry point (scripts/report/bundle.mjs bundles from here): draw the page it is inlined into. */
import { drawPage } from './page.js';

drawPage(document);
