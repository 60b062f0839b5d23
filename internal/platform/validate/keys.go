package validate

// The i18n keys this package emits. They are listed once so a test can prove
// every one has a message in every language.
const (
	keyIDEmpty    = "validate.id.empty"
	keyIDLength   = "validate.id.length" // %d: characters given
	keyIDChars    = "validate.id.chars"
	keyIDArea     = "validate.id.area"
	keyIDBirth    = "validate.id.birth"
	keyIDChecksum = "validate.id.checksum"

	keyMobileEmpty  = "validate.mobile.empty"
	keyMobileChars  = "validate.mobile.chars"
	keyMobileLength = "validate.mobile.length" // %d: digits given
	keyMobilePrefix = "validate.mobile.prefix"

	keyPlateEmpty     = "validate.plate.empty"
	keyPlateLength    = "validate.plate.length" // %d: characters given
	keyPlateProvince  = "validate.plate.province"
	keyPlateAuthority = "validate.plate.authority"
	keyPlateSerial    = "validate.plate.serial"
	keyPlateNewEnergy = "validate.plate.new_energy"

	keyCreditEmpty    = "validate.credit_code.empty"
	keyCreditLength   = "validate.credit_code.length" // %d: characters given
	keyCreditChars    = "validate.credit_code.chars"
	keyCreditChecksum = "validate.credit_code.checksum"

	keyTempEmpty  = "validate.temperature.empty"
	keyTempFormat = "validate.temperature.format"
	keyTempRange  = "validate.temperature.range"

	keyDateEmpty       = "validate.date.empty"
	keyDateFormat      = "validate.date.format"
	keyDateInvalid     = "validate.date.invalid"
	keyDateFuture      = "validate.date.future"
	keyDateBeforeStart = "validate.date.before_start"

	keyCountNegative = "validate.count.negative"
	keyRequired      = "validate.required"
	keyMaxLen        = "validate.maxlen" // %d: the limit
	keyTextEncoding  = "validate.text.encoding"
)

// allKeys is every key above, for the catalog test.
var allKeys = []string{
	keyIDEmpty, keyIDLength, keyIDChars, keyIDArea, keyIDBirth, keyIDChecksum,
	keyMobileEmpty, keyMobileChars, keyMobileLength, keyMobilePrefix,
	keyPlateEmpty, keyPlateLength, keyPlateProvince, keyPlateAuthority, keyPlateSerial, keyPlateNewEnergy,
	keyCreditEmpty, keyCreditLength, keyCreditChars, keyCreditChecksum,
	keyTempEmpty, keyTempFormat, keyTempRange,
	keyDateEmpty, keyDateFormat, keyDateInvalid, keyDateFuture, keyDateBeforeStart,
	keyCountNegative, keyRequired, keyMaxLen, keyTextEncoding,
}
