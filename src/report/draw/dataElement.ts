/**
 * The id of the page's embedded JSON: html/render.ts writes it and the page script (page.ts) reads it. A module of its
 * own so that rendering a page in node does not load the drawing code and d3 with it.
 */
export const DATA_ELEMENT_ID = 'report-data';
