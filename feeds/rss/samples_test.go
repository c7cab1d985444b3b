package rss

// Sample feeds written from the specifications: RSS 2.0
// (https://www.rssboard.org/rss-specification), Atom 1.0 (RFC 4287) and
// RSS 1.0 (https://web.resource.org/rss/1.0/spec), each with the cases the
// tests look at.

// rss2 has a permalink GUID with an image enclosure, an opaque GUID with a
// relative link and an audio enclosure, and an item with neither GUID nor
// date. Its channel language is "fr-ca"; the second item says "en".
const rss2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Ambassade d'Examplie — Presse</title>
    <link>https://embassy.example/</link>
    <description>Communiqués de presse</description>
    <language>fr-ca</language>
    <item>
      <title>Visa &amp; services consulaires</title>
      <link>https://embassy.example/press/visa</link>
      <description>&lt;p&gt;Rendez-vous ouverts. &lt;a href="https://embassy.example/visa"&gt;Réserver&lt;/a&gt;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>
      <author>press@embassy.example (Service de presse)</author>
      <guid isPermaLink="true">https://embassy.example/press/visa</guid>
      <pubDate>Tue, 21 Oct 2025 09:00:00 +0200</pubDate>
      <enclosure url="https://embassy.example/img/visa.jpg" length="12345" type="image/jpeg"/>
    </item>
    <item>
      <title>National day reception</title>
      <link>/press/national-day</link>
      <description><![CDATA[<p>Join us on <b>1 July</b>.</p>]]></description>
      <guid isPermaLink="false">press-0042</guid>
      <pubDate>Mon, 20 Oct 2025 15:30:00 GMT</pubDate>
      <dc:language>en</dc:language>
      <enclosure url="https://embassy.example/audio/speech.mp3" length="1" type="audio/mpeg"/>
    </item>
    <item>
      <title>Office closed on Friday</title>
      <description>The chancery is closed on Friday.</description>
    </item>
  </channel>
</rss>`

// atom1 has two entries: one with published, updated, an HTML summary and
// its own author; one with only updated and XHTML content.
const atom1 = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-AT">
  <title type="text">Ministry of Foreign Affairs</title>
  <link href="https://ministry.example/"/>
  <updated>2025-10-22T19:00:00Z</updated>
  <author><name>Ministry Press</name></author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <entry>
    <title>Statement on the summit</title>
    <link href="https://ministry.example/statements/summit"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2025-10-22T18:30:02Z</published>
    <updated>2025-10-22T19:00:00Z</updated>
    <summary type="html">&lt;p&gt;The minister &lt;em&gt;welcomed&lt;/em&gt; the outcome.&lt;/p&gt;</summary>
    <author><name>Jane Doe</name></author>
  </entry>
  <entry>
    <title>Travel advice updated</title>
    <link rel="alternate" href="https://ministry.example/travel"/>
    <id>tag:ministry.example,2025:travel-1</id>
    <updated>2025-10-21T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Check the <a href="https://ministry.example/travel-advice">advice</a>.</p></div></content>
  </entry>
</feed>`

// rdf is the RSS 1.0 specification's example, the second item undated.
const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://www.xml.com/xml/news.rss">
    <title>XML.com</title>
    <link>http://xml.com/pub</link>
    <description>XML.com features a rich mix of information and services for the XML community.</description>
    <dc:language>en-us</dc:language>
    <items>
      <rdf:Seq>
        <rdf:li resource="http://xml.com/pub/2000/08/09/xslt/xslt.html" />
        <rdf:li resource="http://xml.com/pub/2000/08/09/rdfdb/index.html" />
      </rdf:Seq>
    </items>
  </channel>
  <item rdf:about="http://xml.com/pub/2000/08/09/xslt/xslt.html">
    <title>Processing Inclusions with XSLT</title>
    <link>http://xml.com/pub/2000/08/09/xslt/xslt.html</link>
    <description>Processing document inclusions with general XML tools can be problematic.</description>
    <dc:date>2000-08-09T12:00:00Z</dc:date>
  </item>
  <item rdf:about="http://xml.com/pub/2000/08/09/rdfdb/index.html">
    <title>Putting RDF to Work</title>
    <link>http://xml.com/pub/2000/08/09/rdfdb/index.html</link>
    <description>Tool and API support for the Resource Description Framework is slowly coming of age.</description>
  </item>
</rdf:RDF>`

// billionLaughs declares an entity that would expand to 10⁹ "lol"s.
const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><guid>https://bomb.example/1</guid><title>Laughs &lol9;</title><description>&lol9;&lol9;</description></item>
</channel></rss>`

// rssItems renders a minimal RSS 2.0 feed titled title around items.
func rssItems(title string, items ...string) string {
	s := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>` + title + `</title>`
	for _, it := range items {
		s += "<item>" + it + "</item>"
	}
	return s + "</channel></rss>"
}
