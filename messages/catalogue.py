"""Every sentence residents read, in one place (polite, short, plain Japanese), by feature:
settings and menus, FAQ, notices (LINE, e-mail, feeds), the rich menu, スマホ教室, flows put
aside by a command, くらしの手続きガイド and オンライン手続き.

The words residents type are in `messages/vocabulary.py`."""

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
USAGE = (
    "美祢市LINE公式アカウントでできること\n"
    "・質問する：市のくらしのご質問にお答えします\n"
    "・お知らせ：市からの最新のお知らせを見られます\n"
    "・手続き：引っ越しや出生などで必要な手続きを調べられます\n"
    "・スマホ教室：教室を見て、申し込めます\n"
    "・設定：お住まいの地域と受け取る情報を選べます\n"
    "下のボタンからどうぞ。"
)

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
LABEL_MAIN_ASK = "質問する"
LABEL_MAIN_NOTICES = "お知らせ"
LABEL_MAIN_PROCEDURES = "手続き"
LABEL_MAIN_CLASSES = "スマホ教室"
LABEL_MAIN_SETTINGS = "設定"
LABEL_YES = "はい"
LABEL_HELP = "メニュー"
LABEL_DONE = "完了"
LABEL_CANCEL = "やめる"
LABEL_AREA = "{area}地域"
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

# スマホ教室 (smartphone classes): the class list, signing up, one's bookings and the pushes.
LIST_INTRO = "スマホ教室のご案内です。\n参加したい教室の「申し込む」を押してください。"
LIST_NONE = "いま、お申し込みを受け付けているスマホ教室はありません。\n新しい教室が決まりましたら、お知らせします。"
LIST_ALT = "スマホ教室のご案内（{count}件）"
LIST_ALT_LINE = "・{when} {title}（{venue}）{seats}"
LIST_MORE_TITLE = "ほかにも教室があります"
LIST_MORE_BODY = "あと{count}件の教室があります。"
LABEL_MORE = "次の教室を見る"
SAMPLE_NOTE = "見本のデータです（実際の教室ではありません）"

ROW_WHEN = "日にち"
ROW_TIME = "時間"
ROW_VENUE = "会場"
ROW_CAPACITY = "定員"
ROW_NAME = "お名前"
CAPACITY = "{capacity}人"
SEATS_LEFT = "残り {left}席"
SEATS_FULL_WAITLIST = "満席です（キャンセル待ちを受け付けています）"
SEATS_FULL = "満席です"
SIGNUP_NOT_YET = "申し込みは {opens} から"
SIGNUP_CLOSED = "申し込みの受付は終わりました"
WAITLIST_COUNT = "キャンセル待ち {count}人"

LABEL_APPLY = "申し込む"
LABEL_APPLY_WAITLIST = "キャンセル待ちで申し込む"
APPLY_DISPLAY = "「{title}」に申し込む"
LABEL_NAME_OK = "このお名前で申し込む"
LABEL_NAME_CHANGE = "名前を変える"
LABEL_NO_PHONE = "電話番号なしで進む"
LABEL_BOOK = "申し込む"
LABEL_BOOK_WAITLIST = "キャンセル待ちで申し込む"
LABEL_MY_BOOKINGS = "予約の確認"
LABEL_CLASSES = "スマホ教室を見る"
LABEL_CANCEL_BOOKING = "この予約をキャンセル"
LABEL_CANCEL_YES = "キャンセルする"
LABEL_CANCEL_NO = "キャンセルしない"
CANCEL_DISPLAY = "「{title}」の予約をキャンセル"

OFFER_WAITLIST = (
    "「{title}」は満席です。\n"
    "キャンセル待ちで申し込むことができます。席が空いたら、申し込んだ順にLINEでお知らせします。"
)
ASK_NAME_PREFILLED = (
    "「{title}」に申し込みます。\n\n"
    "参加する方のお名前は「{name}」さんでよろしいですか。\n"
    "ご家族など、ほかの方の申し込みもできます。そのときは「名前を変える」を押してください。"
)
ASK_NAME = (
    "「{title}」に申し込みます。\n\n"
    "参加する方のお名前を送ってください。\n"
    "（ご家族など、ほかの方の申し込みもできます）"
)
ASK_NAME_AGAIN = "参加する方のお名前を送ってください（50文字まで）。"
ASK_PHONE = (
    "{name}さんの電話番号を送ってください（例：090-1234-5678）。\n"
    "教室についてご連絡するときに使います。なくてもかまいません。"
)
PHONE_INVALID = "電話番号は、数字10けたか11けたで送ってください（例：0837-52-1111）。\nなくてもかまいません。"
CONFIRM = "この内容で申し込みますか。\n\n{summary}"
CONFIRM_WAITLIST_NOTE = "※満席のため、キャンセル待ちでの申し込みになります。"
CONFIRM_AGAIN = "下のボタンで「申し込む」か「やめる」を選んでください。"
SUMMARY = "教室：{title}\n日にち：{when}\n会場：{venue}\nお名前：{name} さん\n電話番号：{phone}"
NO_PHONE = "なし"

BOOKED_CONFIRMED = (
    "お申し込みを受け付けました。参加が決まりました。\n\n{summary}\n\n"
    "{reminder}行けなくなったときは「予約の確認」からキャンセルしてください。"
)
REMINDER_PROMISE = "前の日に、LINEでお知らせします。\n"
BOOKED_WAITLISTED = (
    "キャンセル待ちで受け付けました（{position}番目）。\n\n{summary}\n\n"
    "席が空いたら、LINEでお知らせします。"
)
ALREADY_BOOKED = "{name}さんは、この教室にもう申し込んでいます。\n「予約の確認」で確かめられます。"
CLASS_FULL = "申し訳ありません。「{title}」は満席になりました。ほかの教室をご覧ください。"
CLASS_CLOSED = "申し訳ありません。この教室は、いまは申し込みができません。ほかの教室をご覧ください。"
SIGNUP_EXPIRED = (
    "この申し込みの手続きは、時間がたったか、もう終わっています。\n"
    "申し込んだかどうかは「予約の確認」で確かめられます。"
)
SIGNUP_STOPPED = "申し込みをやめました。申し込みはされていません。"

PARTICIPANT = "{name} さん"
MY_BOOKINGS_INTRO = "お申し込み中のスマホ教室です。"
MY_BOOKINGS_NONE = "いま、お申し込み中のスマホ教室はありません。"
MY_BOOKINGS_ALT = "スマホ教室のご予約（{count}件）"
MY_BOOKINGS_ALT_LINE = "・{when} {title}（{name}さん）{status}"
STATUS_CONFIRMED = "参加決定"
STATUS_WAITLISTED = "キャンセル待ち（{position}番目）"
ASK_CANCEL = "{name}さんの「{title}」（{when}）の予約をキャンセルしますか。"
BOOKING_CANCELLED = "{name}さんの「{title}」（{when}）の予約をキャンセルしました。"
BOOKING_KEPT = "予約はそのままです。"
BOOKING_NOT_FOUND = "この予約は見つかりませんでした。「予約の確認」でもう一度ご確認ください。"

REMINDER = (
    "【スマホ教室のお知らせ】\n明日は「{title}」の日です。\n\n{details}\n\n"
    "スマホをお持ちください。行けなくなったときは「予約の確認」からキャンセルしてください。"
)
PROMOTED = (
    "【スマホ教室】席が空きました。\n"
    "キャンセル待ちの{name}さんの参加が決まりました。\n\n{details}\n\n"
    "行けなくなったときは「予約の確認」からキャンセルしてください。"
)
CLASS_CHANGED = (
    "【スマホ教室】日時または会場が変わりました。\n"
    "{name}さんが申し込んだ「{title}」は、次のとおりです。\n\n{details}\n\n"
    "行けなくなったときは「予約の確認」からキャンセルしてください。"
)
CLASS_CANCELLED = (
    "【スマホ教室】中止のお知らせ\n"
    "申し訳ありません。{name}さんが申し込んだ「{title}」（{when}）は中止になりました。{reason}\n"
    "ほかの教室は「スマホ教室」からご覧ください。"
)
CANCEL_REASON = "\n理由：{reason}"
DETAILS = "日にち：{when}\n会場：{venue}"
DETAILS_CLASS = "教室：{title}\n"
DETAILS_PARTICIPANT = "\n{row}：{participant}"

# A command typed while a flow waits: the flow is put aside (「続きから」) or ended.
FLOW_TITLES = {"settings": "地域・受信設定", "classes.signup": "スマホ教室の申し込み"}
FLOW_TITLE_OTHER = "手続き"
FLOW_PUT_ASIDE = "{flow}は、いったん中断しました。\n続けるときは「続きから」を押してください。"
FLOW_ENDED = "{flow}は終了しました。"
NOTHING_TO_RESUME = "続きの手続きはありません。"
LABEL_RESUME = "続きから"

# スマホ教室: a typed name is confirmed before it is used.
CONFIRM_TYPED_NAME = "参加する方のお名前は「{name}」さんでよろしいですか。"
LABEL_NAME_RETYPE = "いいえ（入れ直す）"

# くらしの手続きガイド: the life events, their questions, the checklist, わたしの手続き.
PROCEDURES_PICK = "くらしの手続きガイドです。\nどのようなときの手続きですか。下のボタンから選んでください。"
PROCEDURES_PICK_ALT = "くらしの手続きガイド：手続きの種類を選んでください"
PROCEDURES_UNAVAILABLE = "申し訳ありません。手続きのご案内は準備中です。\n市役所の窓口にお問い合わせください。"
PROCEDURES_QUESTION = "【{event}】{question}"
PROCEDURES_EXPIRED = "この質問は古くなりました。もう一度、手続きの種類から選んでください。"
CHECKLIST_INTRO = "「{event}」の主な手続きです（{count}件）。\n横にずらすと続きが見られます。"
CHECKLIST_NONE = "「{event}」で、お答えに合う手続きは見つかりませんでした。\n市役所の窓口にお問い合わせください。"
CHECKLIST_ALT = "{event}の手続き（{count}件）"
CHECKLIST_ALT_LINE = "・{name}（期限：{deadline}）"
CHECKLIST_SAMPLE = "見本：市で確認中の内容です"
CHECKLIST_SAVE_HINT = "「保存する」を押すと、あとで「わたしの手続き」から見られます。窓口で見せることもできます。"
ROW_COUNTER = "窓口"
ROW_BRING = "持ち物"
ROW_DEADLINE = "期限"
ROW_FEE = "手数料"
ONLINE_UNVERIFIED = "（アドレスは市で確認中）"
LABEL_ONLINE_DO = "{label}で手続き"
LABEL_SAVE_CHECKLIST = "保存する"
LABEL_OTHER_PROCEDURES = "ほかの手続き"
LABEL_MY_PROCEDURES = "わたしの手続き"
LABEL_COUNTER_PAGE = "窓口で見せるページ"
CHECKLIST_SAVED = (
    "保存しました。番号は「{code}」です。\n"
    "「わたしの手続き」でいつでも見られます。窓口では、この番号か下のページをお見せください。\n"
    "（{until}まで有効）"
)
CHECKLIST_SAVED_ALT = "保存した手続き（番号 {code}）"
MY_PROCEDURES_INTRO = "保存した手続きです。見たいものを選んでください。"
MY_PROCEDURES_NONE = "保存した手続きはありません。\n「手続き」と送ると、必要な手続きを調べられます。"
MY_PROCEDURES_ITEM = "{event}（{code}）"
MY_PROCEDURES_GONE = "この手続きの一覧は、期限が切れたか見つかりませんでした。"

# オンライン手続き: the catalogue by category.
ONLINE_INTRO = "スマホでできる手続きです。分野を選んでください。\n対象の手続きや必要なものは、担当の課にご確認ください。"
ONLINE_NONE = "いま、ご案内できるオンライン手続きはありません。"
ONLINE_CATEGORY_INTRO = "「{category}」のオンライン手続きです。"
ONLINE_CATEGORY_ALT = "オンライン手続き：{category}（{count}件）"
ONLINE_NEEDS_CARD = "マイナンバーカードが必要です"
ONLINE_NO_CARD = "マイナンバーカードがなくてもできます"
LABEL_ONLINE_OPEN = "ページを開く"
LABEL_ONLINE_CATEGORIES = "ほかの分野"

# Disaster mode (災害モード): the greeting and the fallback answers say so first.
DISASTER_NOTE = "ただいま災害対応中です。避難所や防災情報は下のメニューからご覧ください。"
DISASTER_NOTE_ALT = "ただいま災害対応中です。避難所や防災情報は、メニューからご覧ください。"
LABEL_SHELTERS = "避難所"
LABEL_DISASTER_LATEST = "最新の防災情報"
# A tab of the rich menu that LINE could not open (the menus are being replaced).
RICHMENU_TAB_FAILED = "メニューを切り替えられませんでした。少し待ってから、もう一度お試しください。"

# 気象庁の自動連携 (automatic notices from JMA's XML): what JMA announced, the 警戒レベル it
# corresponds to, what to do, the shelters. Never worded as the city's own evacuation order.
JMA_SOURCE = "情報元：気象庁（{office}）"
JMA_CITY_NOTE = "※避難指示などの避難情報は、市が発令したときに別にお知らせします。"
JMA_SHELTERS = "開設中の避難所：{url}"
JMA_LEVEL = "警戒レベル{level}相当"
JMA_TITLE_ISSUED = "【気象庁】{city}に{kind}（{level}）"
JMA_TITLE_ISSUED_NO_LEVEL = "【気象庁】{city}に{kind}"
JMA_TITLE_CLEARED = "【気象庁】{city}の{kind}は解除されました"
JMA_TITLE_DOWNGRADED = "【気象庁】{city}の{old}は{new}に切り替わりました"
JMA_ISSUED = "気象庁は、{time}、{city}に{kind}を発表しました。"
JMA_ISSUED_LEVEL = "これは「{level}」の情報です。"
JMA_UPGRADED = "（これまでの{old}から切り替わりました）"
JMA_CLEARED = "気象庁は、{time}、{city}の{kind}を解除しました。"
JMA_DOWNGRADED = "気象庁は、{time}、{city}の{old}を{new}に切り替えました。"
JMA_AFTER_CLEARED = "引き続き、最新の情報に注意してください。"
JMA_TODO = {
    5: "命に危険が迫っています。ただちに身の安全を確保してください。",
    4: "危険な場所にいる人は、いまのうちに安全な場所へ避難してください。市の避難情報にも注意してください。",
    3: "高齢の方など避難に時間がかかる人は、危険な場所から避難する準備を始めてください。",
    2: "ハザードマップで、避難所と避難の道順を確かめておきましょう。",
    0: "不要な外出は控え、最新の気象情報に注意してください。",
}
JMA_LANDSLIDE_ISSUED = "{time}、{city}に土砂災害警戒情報が発表されました（{office}）。"
JMA_LANDSLIDE_CLEARED = "{time}、{city}の土砂災害警戒情報は解除されました（{office}）。"
JMA_LANDSLIDE_TITLE = "【気象庁】{city}に土砂災害警戒情報（{level}）"
JMA_LANDSLIDE_TITLE_CLEARED = "【気象庁】{city}の土砂災害警戒情報は解除されました"
JMA_LANDSLIDE_TODO = "崖の近くや谷の出口など、土砂災害の危険がある場所にいる人は、安全な場所へ避難してください。"
JMA_RAIN_TITLE = "【気象庁】{city}付近で記録的短時間大雨"
JMA_RAIN = "気象庁は、{time}、記録的短時間大雨情報を発表しました。\n{lines}"
JMA_RAIN_TODO = "土砂災害や浸水の危険が高まっています。危険な場所にいる人は、身の安全を確保してください。"
JMA_QUAKE_TITLE = "【気象庁】地震　{city}で震度{intensity}"
JMA_QUAKE = "気象庁によると、{time}ころ地震があり、{city}で震度{intensity}を観測しました。"
JMA_QUAKE_PLACE = "震源地：{place}　{magnitude}"
JMA_QUAKE_TODO = "まず身の安全を確保してください。揺れがおさまったら、火の元と家の周りを確かめ、余震に注意してください。"
JMA_CORRECTION_TITLE = "【訂正】先ほどの気象庁の情報は取り消されました"
JMA_CORRECTION = "先ほどお送りした「{title}」は、気象庁が取り消しました。このお知らせは無効です。"
JMA_WITHDRAWN_REASON = "気象庁がこの情報を取り消しました。"
JMA_INTENSITY = {"5-": "5弱", "5+": "5強", "6-": "6弱", "6+": "6強"}

# 避難所 (shelters): the open ones, the nearest to a location, and when none is open.
SHELTERS_INTRO = "開設している避難所です。"
SHELTERS_INTRO_AREA = "開設している避難所です（{area}地域を先に表示しています）。"
SHELTERS_NONE_OPEN = (
    "いま開設している避難所はありません。\n"
    "開設したときは、市からのお知らせでお伝えします。近くの避難所は「近くの避難所を探す」で調べられます。"
)
SHELTERS_NONE_REGISTERED = "避難所の情報はまだ登録されていません。市のホームページなどでご確認ください。"
SHELTERS_ASK_LOCATION = (
    "いまいる場所の近くの避難所をお探しします。\n"
    "下の「位置情報を送る」を押して、場所を送ってください。"
)
SHELTERS_NEAREST = "近くの開設している避難所です（近い順）。"
SHELTERS_NONE_OPEN_NEAR = (
    "いま開設している避難所はありません。\n"
    "近くの指定避難所・指定緊急避難場所をお知らせします（いずれも開設していません）。"
)
SHELTERS_ALT = "開設している避難所（{count}か所）"
SHELTERS_NEAR_ALT = "近くの避難所（{count}か所）"
SHELTERS_ALT_LINE = "・{name}（{status}）{distance}"
SHELTER_SAMPLE = "見本データ（実際の避難所ではありません）"
SHELTER_CAPACITY = "収容人数 {capacity}人"
SHELTER_DISTANCE = "ここから約{distance}"
SHELTER_STATUS_SINCE = "{status}（{since}）"
DISASTER_LATEST_INTRO = "最新の防災情報（避難情報・気象・災害のお知らせ）です（新しい順）。"
DISASTER_LATEST_NONE = "いま、市からの避難情報や気象・災害のお知らせはありません。"
LABEL_SHELTER_MAP = "地図で見る"
LABEL_SEND_LOCATION = "位置情報を送る"
LABEL_SHELTERS = "開設中の避難所"
LABEL_SHELTERS_NEAR = "近くの避難所を探す"

# 被害の報告 (damage reports): category, photo, location, description, confirmation, receipt.
DAMAGE_ASK_CATEGORY = (
    "被害の報告を受け付けます。どのような被害ですか？\n下のボタンから選んでください。\n"
    "※けが人がいるときや危険が迫っているときは、すぐに119番・110番へ通報してください。"
)
DAMAGE_CHOOSE_CATEGORY = "下のボタンから被害の種類を選んでください。"
DAMAGE_ASK_PHOTO = (
    "「{category}」ですね。被害の様子の写真があれば、1枚送ってください。\n"
    "写真がないときは「写真なし」を押してください。"
)
DAMAGE_WAITING_PHOTO = "写真を送るか、「写真なし」を押してください。"
DAMAGE_ASK_LOCATION = (
    "被害の場所を送ってください。\n"
    "「位置情報を送る」を押すと、地図で場所を選べます。住所や目印を文字で送っていただいてもかまいません。\n"
    "わからないときは「位置情報なし」を押してください。"
)
DAMAGE_WAITING_LOCATION = "「位置情報を送る」で場所を送るか、住所や目印を文字で送ってください。わからないときは「位置情報なし」を押してください。"
DAMAGE_ASK_DESCRIPTION = "被害の様子を短く書いて送ってください（{max}文字まで）。\n例：「橋の近くで道路に木が倒れています」"
DAMAGE_DESCRIPTION_TOO_LONG = "{max}文字以内で送ってください（いま{length}文字です）。"
DAMAGE_CONFIRM = (
    "次の内容で市に報告します。よろしければ「報告する」を押してください。\n\n"
    "種類：{category}\n写真：{photo}\n場所：{place}\n様子：{description}"
)
DAMAGE_WAITING_CONFIRM = "「報告する」か「やめる」を押してください。"
DAMAGE_PHOTO_YES = "あり"
DAMAGE_PHOTO_NO = "なし"
DAMAGE_PLACE_PIN = "送っていただいた位置"
DAMAGE_PLACE_NONE = "なし"
DAMAGE_RECEIVED = (
    "ご報告ありがとうございます。市の職員が確認します。\n受付番号 {receipt}\n\n"
    "このLINEから個別にお返事できないことがあります。急ぎの対応が必要なときは、市役所へお電話ください。"
)
DAMAGE_CANCELLED = "被害の報告をやめました。"
DAMAGE_NOT_STARTED = "この報告は受け付けられませんでした。お手数ですが、もう一度「被害を報告」から始めてください。"
LABEL_DAMAGE_REPORT = "被害を報告"
LABEL_DAMAGE_NO_PHOTO = "写真なし"
LABEL_DAMAGE_CAMERA = "カメラで撮る"
LABEL_DAMAGE_CAMERA_ROLL = "写真を選ぶ"
LABEL_DAMAGE_NO_LOCATION = "位置情報なし"
LABEL_DAMAGE_SUBMIT = "報告する"

# Photos and stickers outside a damage report.
PHOTO_RECEIVED = (
    "写真を送っていただき、ありがとうございます。\n"
    "災害などの被害をお知らせいただくときは「被害を報告」を押してください。"
)
STICKER_RECEIVED = "スタンプありがとうございます。\nご用件があれば、下のボタンからお選びください。"
