// Public surface of the firmware bridge's device codecs and simulators. Codecs are pure
// (no I/O, no timers, no logging); the gateway's drivers own the ports and the clocks.
export { toHex, fromHex, asciiBytes, concatBytes, indexOfBytes } from './codecs/bytes.ts';
export { type DecoderStats, rejectedCount } from './codecs/decoder-stats.ts';
export { RepeatSuppressor } from './codecs/repeat-suppressor.ts';
export { IdleGap, idleGapMs, IDLE_GAP_FLOOR_MS, IDLE_GAP_CHARS, UART_BITS_PER_CHAR } from './codecs/idle-gap.ts';

// RDM6300 / EM4100 (protocols.md §1)
export { formatEmCardNumber } from './codecs/em-card-number.ts';
export {
  Rdm6300Decoder,
  encodeRdm6300,
  rdm6300Checksum,
  RDM6300_FRAME_LEN,
  type Rdm6300Options,
  type Rdm6300Read,
  type Rdm6300Stats,
} from './codecs/rdm6300.ts';
export { Rdm6300Sim, type Rdm6300SimOptions } from './sim/rdm6300-sim.ts';

// PN532 over HSU (§2)
export {
  Pn532Decoder,
  encodePn532Frame,
  encodePn532Command,
  encodePn532Response,
  PN532_ACK,
  PN532_NACK,
  PN532_ERROR_FRAME,
  TFI_HOST,
  TFI_PN532,
  PN532_NORMAL_MAX_DATA,
  PN532_EXTENDED_MAX_DATA,
  type Pn532Frame,
} from './codecs/pn532-frame.ts';
export {
  Pn532Command,
  PN532_WAKEUP,
  samConfiguration,
  getFirmwareVersion,
  rfConfigurationRetries,
  inListPassiveTarget,
  parseFirmwareVersion,
  parseInListPassiveTargetA,
  encodeInListPassiveTargetA,
  describePn532Status,
  type Pn532Firmware,
  type Iso14443aTarget,
  type SimTarget,
} from './codecs/pn532-commands.ts';
export {
  Pn532Session,
  type Pn532SessionOptions,
  type Pn532Event,
  type Pn532Step,
  type Pn532FaultReason,
  type Pn532SessionStats,
} from './codecs/pn532-session.ts';
export { Pn532Sim, type Pn532SimOptions } from './sim/pn532-sim.ts';

// Wiegand and Wiegand converters (§3)
export {
  decodeWiegand,
  encodeWiegand26,
  encodeWiegand34,
  encodeWiegandKey,
  bitsToNumber,
  numberToBits,
  bitsToRawBytes,
  keypadChar,
  keyByteCode,
  ESPHOME_KEYPAD,
  MONKEYBOARD_KEYPAD,
  type WiegandBits,
  type WiegandFrame,
  type WiegandCard,
  type WiegandKey,
  type WiegandResult,
  type KeypadMap,
} from './codecs/wiegand.ts';
export { WiegandReceiver, type WiegandReceiverOptions, type WiegandReceiverStats } from './codecs/wiegand-receiver.ts';
export { WiegandHexLineDecoder, encodeWiegandHexLine, type WiegandHexLineOptions } from './codecs/wiegand-hex-line.ts';
export {
  WiegandDecimalLineDecoder,
  encodeWiegandDecimalLine,
  encodeWiegandDecimalKey,
  type WiegandDecimalLineOptions,
  type WiegandDecimalItem,
} from './codecs/wiegand-decimal-line.ts';
export {
  KeyboardWedgeDecoder,
  encodeKeyboardWedge,
  KEYBOARD_WEDGE_GAP_MS,
  type KeyboardWedgeOptions,
  type KeyboardWedgeLine,
  type KeyboardWedgeStats,
} from './codecs/keyboard-wedge.ts';
export { wiegandPulses, type WiegandPulse } from './sim/wiegand-pulses-sim.ts';
export { WiegandConverterSim, type WiegandConverterOutput, type WiegandConverterSimOptions } from './sim/wiegand-converter-sim.ts';

// LD2410 presence radar (§4)
export {
  encodeLd2410Report,
  encodeLd2410ReportData,
  decodeLd2410ReportData,
  LD2410_REPORT_HEADER,
  LD2410_REPORT_FOOTER,
  type Ld2410Report,
  type Ld2410ReportInput,
  type Ld2410Engineering,
} from './codecs/ld2410-report.ts';
export {
  Ld2410Command,
  encodeLd2410Command,
  encodeLd2410Ack,
  encodeLd2410Parameters,
  decodeLd2410CommandData,
  ld2410EnableConfig,
  ld2410EndConfig,
  ld2410ReadParameters,
  ld2410ReadFirmware,
  ld2410EngineeringMode,
  ld2410SetGatesAndDuration,
  parseLd2410GateSettings,
  LD2410_COMMAND_HEADER,
  LD2410_COMMAND_FOOTER,
  type Ld2410Ack,
  type Ld2410AckDetail,
  type Ld2410CommandFrame,
  type Ld2410GateSettings,
} from './codecs/ld2410-command.ts';
export { Ld2410Decoder, LD2410_MAX_DATA, type Ld2410Item, type Ld2410Stats } from './codecs/ld2410-frame.ts';
export { Ld2410Sim, type Ld2410SimOptions } from './sim/ld2410-sim.ts';

// OSDP v2 control panel side (§5)
export {
  OsdpDecoder,
  encodeOsdpPacket,
  osdpCrc16,
  osdpChecksum,
  scbHasMac,
  OSDP_MARK,
  OSDP_SOM,
  OSDP_BROADCAST,
  OSDP_MAX_PACKET,
  type OsdpPacket,
  type DecodedOsdpPacket,
  type EncodeOsdpOptions,
  type OsdpDecoderStats,
} from './codecs/osdp-packet.ts';
export {
  OsdpCmd,
  OsdpReply,
  OsdpCapFn,
  OsdpColor,
  OSDP_NAK_REASONS,
  LED_NOOP_TEMPORARY,
  LED_NOOP_PERMANENT,
  osdpNakReason,
  osdpKeyChar,
  osdpKeyByte,
  encodeIdRequest,
  encodeOut,
  decodeOut,
  encodeLed,
  decodeLed,
  encodeBuz,
  decodeBuz,
  encodeComset,
  decodeComset,
  encodeKeyset,
  decodeKeyset,
  encodePdid,
  encodePdcap,
  encodeRaw,
  encodeKeypad,
  decodeOsdpReply,
  type OsdpOutputRecord,
  type OsdpLedRecord,
  type OsdpLedTemporary,
  type OsdpLedPermanent,
  type OsdpBuzzer,
  type OsdpComSettings,
  type OsdpPdId,
  type OsdpCapability,
  type OsdpRawCard,
  type OsdpCcrypt,
  type OsdpReplyMsg,
} from './codecs/osdp-messages.ts';
export {
  OSDP_SCBK_D,
  OsdpScChain,
  deriveOsdpSessionKeys,
  osdpClientCryptogram,
  osdpServerCryptogram,
  osdpRmacI,
  osdpMac,
  osdpEncrypt,
  osdpDecrypt,
  osdpWeakKeyReason,
  type OsdpSessionKeys,
} from './codecs/osdp-sc.ts';
export { OsdpPdSession, type OsdpPdOptions } from './codecs/osdp-session.ts';
export { OsdpCpBus, type OsdpBusOptions, type OsdpBusStep, type OsdpBusStats } from './codecs/osdp-cp-bus.ts';
export { type OsdpEvent, type OsdpFaultReason, type OsdpPdStats } from './codecs/osdp-events.ts';
export { OsdpPdSim, OSDP_SIM_CAPS, type OsdpPdSimOptions, type OsdpPdSimFaults } from './sim/osdp-pd-sim.ts';
