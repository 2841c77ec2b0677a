"""Every sentence residents read, in one place (polite, short, plain Japanese)."""

ACCOUNT_NAME = "美祢市"

GREETING_NEW = (
    "美祢市LINE公式アカウントを友だち追加していただき、ありがとうございます。\n"
    "災害の情報や市からのお知らせをお届けし、よくあるご質問にお答えします。"
)
GREETING_RETURNING = "また友だち追加していただき、ありがとうございます。"
ASK_AREA = "お住まいの地域を選んでください。\n地域に合わせたお知らせをお送りします。"
ASK_AREA_AGAIN = "下のボタンから地域を選んでください。\nやめるときは「やめる」を押してください。"
AREA_SAVED = "地域を「{area}」に設定しました。"
ASK_INTERESTS = (
    "受け取りたい情報を選んでください（いくつでも選べます）。\n"
    "選んだものには✓が付きます。選び終わったら「完了」を押してください。"
)
ASK_INTERESTS_AGAIN = "下のボタンで選んで、最後に「完了」を押してください。"
INTEREST_ON = "「{interest}」を受け取ります。"
INTEREST_OFF = "「{interest}」を受け取らないようにしました。"
SETTINGS_DONE = "設定が完了しました。"
SETTINGS_SUMMARY = "現在の設定\n・地域：{area}\n・受け取る情報：{interests}"
SETTINGS_CHANGE_HINT = "変更するときは「設定」と送ってください。"
NOT_SET = "未設定"
INTERESTS_NONE = "なし（災害などの重要なお知らせは届きます）"
CANCELLED = "手続きをやめました。"
NOTHING_TO_CANCEL = "やめる手続きはありません。"
SETTINGS_LATER = "地域はあとからでも設定できます。「設定」と送ってください。"

NON_TEXT = "メッセージありがとうございます。\n申し訳ありませんが、文字でお送りいただくか、下のボタンからお選びください。"
EXPIRED_BUTTON = "このボタンは使えなくなりました。もう一度、下のボタンからお選びください。"
HELP = "ご用件を下のボタンから選んでください。"

# FAQ (よくある質問): the answer, 「もしかして」, feedback, and the honest "no answer".
FAQ_DEPARTMENT = "担当：{department}"
FAQ_SAMPLE_NOTE = "※この回答は見本です。内容は市で確認中です。"
FAQ_ASK_FEEDBACK = "この回答で解決しましたか？\n下のボタンで教えてください。"
FAQ_THANKS_RESOLVED = "お役に立ててよかったです。\nほかにもご質問があれば、いつでも送ってください。"
FAQ_THANKS_UNRESOLVED = (
    "お役に立てず、申し訳ありません。\n"
    "いただいたご質問は、回答を見直すために市の職員が確認します。\n"
    "お急ぎの場合は、{department}にお問い合わせください。"
)
FAQ_CITY_OFFICE = "市役所"
FAQ_SUGGEST = "もしかして、次のご質問ですか？\n当てはまるものを下のボタンから選んでください。\n\n{choices}"
FAQ_NOT_FOUND = (
    "申し訳ありません。このご質問にお答えできる情報が見つかりませんでした。\n"
    "短い言葉（例：「粗大ごみ」「住民票」）で送っていただくと、見つかることがあります。"
)
FAQ_NONE_OF_THESE = "申し訳ありません。ほかにお答えできる情報が見つかりませんでした。"
FAQ_CONTACT = "お問い合わせ先\n{name}\n電話：{phone}\n受付時間：{hours}"
FAQ_CONTACT_UNVERIFIED = "（この電話番号と受付時間は、市で確認中の情報です）"
FAQ_OFFER_REPORT = "「職員に伝える」を押すと、このご質問を市の職員に伝えます。"
FAQ_REPORTED = (
    "ご質問を市の職員に伝えました。ありがとうございます。\n"
    "回答を増やすための参考にさせていただきます。\n"
    "このLINEから個別にお返事することはできませんので、お急ぎの場合はお電話でお問い合わせください。"
)
FAQ_GONE = "この回答はいま表示できません。お手数ですが、もう一度ご質問を送ってください。"
LABEL_FAQ_RESOLVED = "解決した"
LABEL_FAQ_UNRESOLVED = "解決しない"
LABEL_FAQ_LINK = "詳しく見る"
LABEL_FAQ_NONE_OF_THESE = "この中にない"
LABEL_FAQ_REPORT = "職員に伝える"
FAQ_YOU_ARE_WELCOME = "どういたしまして。\nほかにもご質問があれば、いつでも送ってください。"
FAQ_HELLO = (
    "こんにちは。美祢市LINE公式アカウントです。\n"
    "ご質問を、ふだんの言葉で送ってください。\n"
    "例：「住民票はどこでとれますか」「粗大ごみの出し方」"
)

# Button labels (LINE: 20 characters at most).
LABEL_SETTINGS = "地域・受信設定"
LABEL_HELP = "メニュー"
LABEL_DONE = "完了"
LABEL_CANCEL = "やめる"
LABEL_LATER = "あとで"
LABEL_CHECKED = "✓{label}"

# Notices (お知らせ): the Flex bubble, the 「お知らせ」 carousel, e-mail and feeds.
NOTICE_ISSUER = "美祢市"
NOTICE_ALL_AREAS = "全地域"
NOTICE_TARGET = "対象地域：{areas}"
NOTICE_CONTINUED = "（続きは次のメッセージをお読みください）"
NOTICE_TRUNCATED = "…（以下省略）"
NOTICE_WITHDRAWN = "取消"
NOTICE_WITHDRAWN_NOTE = "このお知らせは取り消されました。"
NOTICE_CORRECTION = "訂正・理由：{reason}"
NOTICE_NOT_FOUND = "このお知らせは表示できません。最新のお知らせは「お知らせ」と送ってください。"
NOTICES_NONE = "いま表示できるお知らせはありません。"
NOTICES_SET_AREA_HINT = "お住まいの地域を設定すると、その地域のお知らせも表示します。「設定」と送ってください。"
NOTICES_INTRO_AREA = "{area}地域と市全体の最新のお知らせです（新しい順）。"
NOTICES_INTRO_CITY = "市全体の最新のお知らせです（新しい順）。"
NOTICES_ALT = "美祢市からのお知らせ（{count}件）"
LABEL_NOTICES = "お知らせ"
LABEL_NOTICE_LINK = "詳しく見る"
LABEL_NOTICE_READ = "全文を読む"
NOTICE_READ_DISPLAY = "「{title}」を読む"
MAIL_SUBJECT = "【{kind}】{title}（美祢市）"
MAIL_FOOTER = (
    "このメールは美祢市のお知らせメールです。返信はできません。\n"
    "配信の停止: {unsubscribe_url}"
)
MAIL_UNSUBSCRIBE_CONFIRM = "美祢市のお知らせメールの配信を停止しますか。"
MAIL_UNSUBSCRIBE_BUTTON = "配信を停止する"
MAIL_UNSUBSCRIBED = "配信を停止しました。これまでご利用いただき、ありがとうございました。"
MAIL_UNSUBSCRIBE_UNKNOWN = "このリンクは使えません。すでに配信を停止しているか、リンクが正しくありません。"
FEED_TITLE = "美祢市からのお知らせ"

# Rich-menu entries of the walking skeleton
ASK_QUESTION = (
    "ご質問を、ふだんの言葉で送ってください。\n"
    "例：「住民票はどこでとれますか」「粗大ごみの出し方」"
)
ONLINE_LINKS_ALT = "スマホでできる手続きのご案内"
ONLINE_LINKS_PROMPT = "開きたいページを選んでください。"
