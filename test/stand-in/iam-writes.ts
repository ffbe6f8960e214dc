/**
 * IAM's reads: everything else (Create, Update, Put, Delete, Tag, Untag, Attach, Detach, Add,
 * Remove, Set, Change, Reset, Enable, Deactivate, Upload, …) changes the account and counts
 * against `iamWriteRps`, as AWS's lower quota for IAM mutations does.
 */
const READ_PREFIXES = ['Get', 'List', 'Simulate', 'Generate'];

export const isIamWrite = (action: string) =>
  !READ_PREFIXES.some((prefix) => action.startsWith(prefix));
