/**
 * The organisation's directory (Microsoft Entra ID through Graph, issue 13) as the rest of the
 * endpoint sees it: users found by UPN or e-mail, for the CSV import and the admin console.
 */

/** One directory user; `upn` and `mail` lowercased. */
export interface DirectoryUser {
  oid: string;
  displayName: string | null;
  upn: string | null;
  mail: string | null;
}

export interface DirectoryLookup {
  /**
   * The users the directory knows by these UPNs or e-mail addresses (compared lowercased), keyed
   * by the lowercased login as asked; logins it does not know are absent. Throws on a directory
   * failure (the caller reports it, never guesses).
   */
  resolve(logins: readonly string[]): Promise<Map<string, DirectoryUser>>;
}
