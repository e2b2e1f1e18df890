// The officers of the two-officer and backup-share tests (issue 15): each holder's own share passphrase, every one
// passing the vault's passphrase rule and all different (quorum set refuses two holders with one passphrase).
export const HOLDER_PASSPHRASES: Readonly<Record<string, string>> = {
  Alice: 'alice quartz meadow lantern 41',
  Bob: 'bob copper harbour violin 72',
  Carol: 'carol maple tundra compass 19',
  Dave: 'dave saffron glacier piano 33',
  Erin: 'erin walnut comet anchor 58',
  Olga: 'olga thistle canyon ember 27',
  Pete: 'pete juniper orbit falcon 64',
};
