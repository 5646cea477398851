package pcre

import "strings"

// scriptCodes are the four-letter script codes (ISO 15924, as Unicode's
// PropertyValueAliases.txt gives them for the Script property), lower
// case: what \p{Grek} and, spelled loosely, \p{Gr ek} name. Read from
// Unicode 14 (Perl 5.36's Unicode::UCD, the Unicode release of Debian 12's
// PCRE2 10.42). A code newer than this list is still accepted when
// written as four plain letters (see propertyRanges).
var scriptCodes = func() map[string]bool {
	out := map[string]bool{}
	for _, c := range strings.Fields(`
	adlm aghb ahom arab armi armn avst bali bamu bass batk beng bhks bopo brah brai bugi buhd
	cakm cans cari cham cher chrs copt cpmn cprt cyrl deva diak dogr dsrt dupl egyp elba elym
	ethi geor glag gong gonm goth gran grek gujr guru hang hani hano hatr hebr hira hluw hmng
	hmnp hung ital java kali kana khar khmr khoj kits knda kthi lana laoo latn lepc limb lina
	linb lisu lyci lydi mahj maka mand mani marc medf mend merc mero mlym modi mong mroo mtei
	mult mymr nand narb nbat newa nkoo nshu ogam olck orkh orya osge osma ougr palm pauc perm
	phag phli phlp phnx plrd prti rjng rohg runr samr sarb saur sgnw shaw shrd sidd sind sinh
	sogd sogo sora soyo sund sylo syrc tagb takr tale talu taml tang tavt telu tfng tglg thaa
	thai tibt tirh tnsa toto ugar vaii vith wara wcho xpeo xsux yezi yiii zanb zinh zyyy zzzz`) {
		out[c] = true
	}
	return out
}()
