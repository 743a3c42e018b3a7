/** What the console needs of a way to sign in (development token or Entra ID). */
export interface Session {
  token(): Promise<string | null>;
  signOut(): Promise<void>;
}

/** The Entra sign-in: `signedIn` once a redirect came back (or an account is cached), `login()` leaves the page. */
export interface EntraSignIn {
  signedIn: boolean;
  login(): Promise<void>;
  session(): Session;
}
