/** A URL naming nothing the repository has (an unknown object, a path outside the tree, a bad filter): a 404 page with this one sentence. */
export class PageNotFound extends Error {}
