// The resident ID number check of casework/person_numbers.cpp (id_number_problem) in the browser:
// the same checks in the same order, so the intake says why a number is wrong before saving, in
// the words the server's answer is translated to (errors.js). GB 11643: 17 digits and a MOD 11-2
// check character 0-9/X, a region code not starting with 0, a real birth date (1900–2099); or a
// legacy 15-digit number (birth date 19YYMMDD).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function realDate(y, m, d) {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// A catalogue key saying what is wrong with `raw`, or null when it is a valid ID number. today:
// 'YYYY-MM-DD' (Shanghai), to refuse a birth date in the future.
export function idNumberProblem(raw, today) {
  const id = String(raw ?? '').replace(/[ \t]/g, '').replace(/x/g, 'X');
  if (id.length !== 18 && id.length !== 15) return 'err.id_length';
  if (!(id.length === 18 ? /^\d{17}[\dX]$/ : /^\d{15}$/).test(id)) return 'err.id_chars';
  if (id[0] === '0') return 'err.id_region';
  const long = id.length === 18;
  const y = long ? Number(id.slice(6, 10)) : 1900 + Number(id.slice(6, 8));
  const rest = long ? id.slice(10, 14) : id.slice(8, 12);
  const [m, d] = [Number(rest.slice(0, 2)), Number(rest.slice(2, 4))];
  if (y < 1900 || y > 2099 || !realDate(y, m, d)) return 'err.id_birth_date';
  if (long) {
    let sum = 0;
    for (let i = 0; i < 17; i += 1) sum += Number(id[i]) * WEIGHTS[i];
    if (id[17] !== CHECK[sum % 11]) return 'err.id_check';
  }
  const born = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (today && born > today) return 'err.id_birth_future';
  return null;
}
