// Served by the app itself rather than a CDN, so empty states render wherever the admin is opened.
export const EMPTY_STATE_IMAGE = "/empty-state.svg";
