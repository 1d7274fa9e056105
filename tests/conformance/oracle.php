<?php
// The PHP oracle for tests/conformance: reads one JSON string per line from the file $argv[2]
// and prints one line per case: "OK <result>" or "ERR <class>: <message>".
//   parse: the string is a form body; the result is parse_str's array as json_encode shows it
//   build: the string is a JSON document; the result is http_build_query(json_decode($doc, true))
error_reporting(E_ALL & ~E_WARNING);

// JSON text the way hooktool writes it compactly: only '"', '\' and control characters escaped.
function canon($value): string {
    if (is_array($value)) {
        $parts = [];
        if (array_is_list($value)) {
            foreach ($value as $v) $parts[] = canon($v);
            return '[' . implode(',', $parts) . ']';
        }
        foreach ($value as $k => $v) $parts[] = str((string)$k) . ':' . canon($v);
        return '{' . implode(',', $parts) . '}';
    }
    if (is_string($value)) return str($value);
    if ($value === null) return 'null';
    if ($value === true) return 'true';
    if ($value === false) return 'false';
    throw new TypeError('unexpected ' . gettype($value));
}

function str(string $s): string {
    if (preg_match('//u', $s) !== 1) throw new UnexpectedValueException('invalid UTF-8');
    $map = ['"' => '\\"', '\\' => '\\\\', "\x08" => '\\b', "\x0c" => '\\f', "\n" => '\\n', "\r" => '\\r', "\t" => '\\t'];
    $out = '"';
    for ($i = 0, $n = strlen($s); $i < $n; $i++) {
        $c = $s[$i];
        if (isset($map[$c])) $out .= $map[$c];
        elseif (ord($c) < 0x20) $out .= sprintf('\\u%04x', ord($c));
        else $out .= $c;
    }
    return $out . '"';
}

[$_, $mode, $path] = $argv;
foreach (file($path, FILE_IGNORE_NEW_LINES) as $line) {
    $input = json_decode($line);
    try {
        if ($mode === 'parse') {
            $result = [];
            parse_str($input, $result);
            $out = canon($result);
            echo 'OK ', $out, "\n";
        } else {
            $doc = json_decode($input, true, 2048, JSON_THROW_ON_ERROR);
            $out = http_build_query($doc);
            echo 'OK ', $out, "\n";
        }
    } catch (Throwable $e) {
        echo 'ERR ', get_class($e), ': ', str_replace(["\r", "\n"], ' ', $e->getMessage()), "\n";
    }
}
