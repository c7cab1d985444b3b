package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Sentences of the kind missions post, in English, French and Chinese,
// some with emoji as real posts have.
var sentences = map[string][]string{
	"en": {
		"The embassy will be closed on Monday for the national holiday. 🇨🇦",
		"Visa appointments move to Tuesday; please check your e-mail for the new time.",
		"The ambassador met the foreign minister to discuss regional security and trade.",
		"Beware of fraudulent websites offering visas: applications are free of charge here.",
		"Join us for the cultural evening at the residence, registration required 🎉",
		"Consular services remain available by phone for emergencies at any time.",
		"Read the joint statement on the humanitarian situation https://example.org/statements/2026/joint",
	},
	"fr": {
		"L'ambassade sera fermée lundi à l'occasion de la fête nationale. 🇨🇦",
		"Les rendez-vous pour les visas sont reportés à mardi ; consultez votre messagerie.",
		"L'ambassadeur s'est entretenu avec le ministre des affaires étrangères de la sécurité régionale.",
		"Attention aux sites frauduleux proposant des visas : la demande est gratuite.",
		"Rejoignez-nous pour la soirée culturelle à la résidence, inscription obligatoire 🎉",
		"Les services consulaires restent joignables par téléphone en cas d'urgence.",
		"Lire la déclaration commune https://example.org/declarations/2026/commune",
	},
	"zh-Hans": {
		"大使馆将于周一国庆节期间闭馆。",
		"签证预约改至周二，请查看您的电子邮件以获取新时间。",
		"大使会见了外交部长，讨论地区安全与贸易问题。",
		"谨防提供签证的欺诈网站：在此申请签证是免费的。",
		"欢迎参加官邸举办的文化之夜，需提前报名。🎉",
		"紧急情况下，领事服务可随时通过电话联系。",
		"请阅读关于人道主义局势的联合声明 https://example.org/zh/statements/2026",
	},
}

var langs = []string{"en", "fr", "zh-Hans"}

// postText returns a post of one to six sentences in one language.
func postText(r *rand.Rand, n int) (string, string) {
	lang := langs[r.IntN(len(langs))]
	var b strings.Builder
	for i := range 1 + r.IntN(6) {
		if i > 0 && lang != "zh-Hans" {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[lang][r.IntN(len(sentences[lang]))])
	}
	fmt.Fprintf(&b, " #%d", n)
	return b.String(), lang
}
