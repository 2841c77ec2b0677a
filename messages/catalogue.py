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

FALLBACK_TEXT = (
    "メッセージありがとうございます。\n"
    "申し訳ありません。このご質問には、まだ自動でお答えできません。\n"
    "下のボタンからお選びください。"
)
NON_TEXT = "メッセージありがとうございます。\n申し訳ありませんが、文字でお送りいただくか、下のボタンからお選びください。"
EXPIRED_BUTTON = "このボタンは使えなくなりました。もう一度、下のボタンからお選びください。"
HELP = "ご用件を下のボタンから選んでください。"

# Button labels (LINE: 20 characters at most).
LABEL_SETTINGS = "地域・受信設定"
LABEL_HELP = "メニュー"
LABEL_DONE = "完了"
LABEL_CANCEL = "やめる"
LABEL_LATER = "あとで"
LABEL_CHECKED = "✓{label}"
