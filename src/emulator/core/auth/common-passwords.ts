/**
 * The passwords `rejectCommonPasswords` refuses (RA-D1): the most frequent entries of public breach corpora, bundled
 * so the check works offline. Compared lower-cased, so `Password123` is refused like `password123`.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '1234567', '12345678', '123456789', '1234567890', '0123456789', '987654321', '11111111', '00000000',
  '88888888', '12341234', '11223344', '123123123', '123321123', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'qwerty',
  'qwerty12', 'qwerty123', 'qwertyuiop', 'qwer1234', 'asdfghjk', 'asdfghjkl', 'zxcvbnm1', 'azerty123', 'password',
  'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pa$$word', 'letmein1', 'welcome1',
  'welcome123', 'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars',
  'trustno1', 'whatever', 'dragon12', 'monkey12', 'michael1', 'jennifer', 'computer', 'internet', 'abc12345',
  'abcd1234', 'abcdefgh', 'aa123456', 'a1234567', 'admin123', 'administrator', 'changeme', 'secret12', 'secret123',
  'master12', 'shadow12', 'zaq12wsx', 'q1w2e3r4', 'q1w2e3r4t5', 'hello123', 'test1234', 'testtest', 'default1',
])
