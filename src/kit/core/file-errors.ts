/** What went wrong with a file, in words for the user rather than an errno code (ENOENT, EISDIR...). */
const WORDS: Record<string, string> = {
  ENOENT: 'not found',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** `not found`, `is a folder`, ...; an unlisted code keeps its name, an error without one its message. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && WORDS[code]) return WORDS[code];
  return code ?? (error instanceof Error ? error.message : String(error));
}
