/** Bad input: `message` is the helpful sentence for the asker. */
export class CommandError extends Error {}
